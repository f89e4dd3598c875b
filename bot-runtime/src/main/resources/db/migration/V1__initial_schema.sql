-- Guild settings live in JSONB so new settings need no migration; revision drives optimistic locking.
CREATE TABLE guild_settings (
    guild_id   BIGINT PRIMARY KEY,
    settings   JSONB       NOT NULL DEFAULT '{}'::jsonb,
    revision   BIGINT      NOT NULL DEFAULT 1 CHECK (revision > 0),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Balances are changed under row locks (SELECT ... FOR UPDATE); the CHECK is the last line of defence.
CREATE TABLE user_wallets (
    user_id       BIGINT PRIMARY KEY,
    balance       BIGINT      NOT NULL DEFAULT 0 CHECK (balance >= 0),
    last_daily_at TIMESTAMPTZ,
    revision      BIGINT      NOT NULL DEFAULT 1 CHECK (revision > 0),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Per-guild case numbers come from an upserted counter row, so concurrent /warn never reuse a number.
CREATE TABLE moderation_case_counters (
    guild_id         BIGINT PRIMARY KEY,
    last_case_number INTEGER NOT NULL
);

CREATE TABLE moderation_cases (
    guild_id          BIGINT      NOT NULL,
    case_number       INTEGER     NOT NULL,
    action            TEXT        NOT NULL,
    target_user_id    BIGINT      NOT NULL,
    moderator_user_id BIGINT      NOT NULL,
    reason            TEXT        NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (guild_id, case_number)
);

CREATE INDEX moderation_cases_by_target ON moderation_cases (guild_id, target_user_id, case_number DESC);

-- Usage is counted in memory and flushed in batches; one row per command per UTC day.
CREATE TABLE command_stats (
    command_name TEXT   NOT NULL,
    day          DATE   NOT NULL,
    uses         BIGINT NOT NULL CHECK (uses >= 0),
    PRIMARY KEY (command_name, day)
);
