-- 0001_init: the whole firedrill schema for SQLite.
--
-- Byte fields (source, options, actor, action, body) are BLOBs: the store keeps the
-- bytes it is given, and replay needs them back exactly.
-- Seeds are decimal TEXT because INTEGER is a signed 64-bit value and a seed
-- is a full uint64.
-- Times are DATETIME so the driver hands back time.Time; the store writes
-- them in UTC, which keeps their text form sortable.

CREATE TABLE scenarios (
	hash   TEXT PRIMARY KEY,   -- sha256 hex of source
	name   TEXT NOT NULL,
	source BLOB NOT NULL
);

CREATE TABLE exercises (
	id            TEXT PRIMARY KEY,
	scenario_hash TEXT NOT NULL REFERENCES scenarios (hash),
	scenario_name TEXT NOT NULL,
	seed          TEXT NOT NULL,
	speed         REAL NOT NULL CHECK (speed > 0),
	state         TEXT NOT NULL CHECK (state IN ('running', 'paused', 'ended')),
	options       BLOB NOT NULL,              -- the caller's run options, opaque
	created_at    DATETIME NOT NULL,
	ended_at      DATETIME
);
CREATE INDEX exercises_by_state ON exercises (state, created_at, id);
CREATE INDEX exercises_by_scenario ON exercises (scenario_name, created_at, id);

CREATE TABLE participants (
	id          INTEGER PRIMARY KEY,           -- keeps insertion order
	exercise_id TEXT NOT NULL REFERENCES exercises (id),
	code_hash   TEXT NOT NULL UNIQUE,          -- sha256 hex; the code itself is never stored
	name        TEXT NOT NULL,
	role        TEXT NOT NULL,
	group_name  TEXT,
	facilitator INTEGER NOT NULL CHECK (facilitator IN (0, 1)),
	created_at  DATETIME NOT NULL
);
CREATE INDEX participants_by_exercise ON participants (exercise_id, id);

-- inputs and events are read by (exercise_id, seq) ranges only, so they are
-- clustered on that key.
CREATE TABLE inputs (
	exercise_id TEXT NOT NULL REFERENCES exercises (id),
	seq         INTEGER NOT NULL CHECK (seq > 0),
	at          INTEGER NOT NULL,
	actor       BLOB NOT NULL,
	action      BLOB NOT NULL,
	PRIMARY KEY (exercise_id, seq)
) WITHOUT ROWID;

CREATE TABLE events (
	exercise_id TEXT NOT NULL REFERENCES exercises (id),
	seq         INTEGER NOT NULL CHECK (seq > 0),
	at          INTEGER NOT NULL,
	kind        TEXT NOT NULL,
	body        BLOB NOT NULL,
	PRIMARY KEY (exercise_id, seq)
) WITHOUT ROWID;

CREATE TABLE lessons (
	id          INTEGER PRIMARY KEY,
	exercise_id TEXT NOT NULL REFERENCES exercises (id),
	author      TEXT NOT NULL,
	at          INTEGER NOT NULL,
	text        TEXT NOT NULL
);
CREATE INDEX lessons_by_exercise ON lessons (exercise_id, at, id);
