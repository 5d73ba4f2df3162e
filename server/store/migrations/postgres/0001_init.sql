-- 0001_init: the whole firedrill schema for PostgreSQL. Keep it the same
-- shape as migrations/sqlite/0001_init.sql; TestMigrationsMatch checks that
-- both dialects have the same numbered files.
--
-- Byte fields are BYTEA, not TEXT or JSONB: the store keeps the bytes it is
-- given (JSONB would reorder keys; TEXT would reject bytes SQLite accepts).
-- Seeds are decimal TEXT because BIGINT is signed and a seed is a full uint64.

CREATE TABLE scenarios (
	hash   TEXT PRIMARY KEY,   -- sha256 hex of source
	name   TEXT NOT NULL,
	source BYTEA NOT NULL
);

CREATE TABLE exercises (
	id            TEXT PRIMARY KEY,
	scenario_hash TEXT NOT NULL REFERENCES scenarios (hash),
	scenario_name TEXT NOT NULL,
	seed          TEXT NOT NULL,
	speed         DOUBLE PRECISION NOT NULL CHECK (speed > 0),
	state         TEXT NOT NULL CHECK (state IN ('running', 'paused', 'ended')),
	options       BYTEA NOT NULL,              -- the caller's run options, opaque
	created_at    TIMESTAMPTZ NOT NULL,
	ended_at      TIMESTAMPTZ
);
CREATE INDEX exercises_by_state ON exercises (state, created_at, id);
CREATE INDEX exercises_by_scenario ON exercises (scenario_name, created_at, id);

CREATE TABLE participants (
	id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, -- keeps insertion order
	exercise_id TEXT NOT NULL REFERENCES exercises (id),
	code_hash   TEXT NOT NULL UNIQUE,          -- sha256 hex; the code itself is never stored
	name        TEXT NOT NULL,
	role        TEXT NOT NULL,
	group_name  TEXT,
	facilitator BOOLEAN NOT NULL,
	created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX participants_by_exercise ON participants (exercise_id, id);

CREATE TABLE inputs (
	exercise_id TEXT NOT NULL REFERENCES exercises (id),
	seq         BIGINT NOT NULL CHECK (seq > 0),
	at          BIGINT NOT NULL,
	actor       BYTEA NOT NULL,
	action      BYTEA NOT NULL,
	PRIMARY KEY (exercise_id, seq)
);

CREATE TABLE events (
	exercise_id TEXT NOT NULL REFERENCES exercises (id),
	seq         BIGINT NOT NULL CHECK (seq > 0),
	at          BIGINT NOT NULL,
	kind        TEXT NOT NULL,
	body        BYTEA NOT NULL,
	PRIMARY KEY (exercise_id, seq)
);

CREATE TABLE lessons (
	id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	exercise_id TEXT NOT NULL REFERENCES exercises (id),
	author      TEXT NOT NULL,
	at          BIGINT NOT NULL,
	text        TEXT NOT NULL
);
CREATE INDEX lessons_by_exercise ON lessons (exercise_id, at, id);
