package main

import (
	"testing"
	"time"
)

// TestSampleRoundTrip: a sample keeps an inject's whole-millisecond time
// exactly and its latency to the microsecond, negative ones included (the
// client's clock may read a little behind the server's anchor).
func TestSampleRoundTrip(t *testing.T) {
	cases := []struct {
		at, lat         int64
		wantAt, wantLat int64
	}{
		{at: int64(20 * time.Second), lat: int64(2345678 * time.Nanosecond), wantAt: int64(20 * time.Second), wantLat: int64(2345 * time.Microsecond)},
		{at: int64(29*time.Minute + 999*time.Millisecond), lat: int64(90 * time.Second), wantAt: int64(29*time.Minute + 999*time.Millisecond), wantLat: int64(90 * time.Second)},
		{at: 0, lat: -int64(1500 * time.Microsecond), wantAt: 0, wantLat: -int64(1500 * time.Microsecond)},
	}
	for _, c := range cases {
		s := newSample(c.at, c.lat)
		if s.at() != c.wantAt || s.lat() != c.wantLat {
			t.Errorf("newSample(%d, %d) reads back at %d, lat %d; want %d, %d", c.at, c.lat, s.at(), s.lat(), c.wantAt, c.wantLat)
		}
	}
}
