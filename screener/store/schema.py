"""The database schema and its migrations: the one place that defines tables.

``PRAGMA user_version`` holds the number of migrations applied. Each migration is a
list of portable SQL statements (no SQLite-only syntax) so that a PostgreSQL backend can
reuse them. Sections are grouped by the stage that owns the tables.
"""

from __future__ import annotations

# --- import: files and records -------------------------------------------------------
IMPORT_TABLES = [
    """CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
    """CREATE TABLE source_files (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        format TEXT NOT NULL,
        source TEXT NOT NULL,
        method TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        record_count INTEGER NOT NULL DEFAULT 0
    )""",
    "CREATE INDEX source_files_sha ON source_files (sha256)",
    # ``work_id`` is the id of the canonical record of the record's work; a record that is
    # nobody's duplicate is its own work. ``data`` is the Record model as JSON; the
    # columns beside it are copies of some of its fields (schema 6 dropped the DOI and
    # PMID indexes below, which no query used).
    """CREATE TABLE records (
        id INTEGER PRIMARY KEY,
        file_id INTEGER NOT NULL REFERENCES source_files (id),
        idx INTEGER NOT NULL,
        line INTEGER NOT NULL,
        parent_id INTEGER REFERENCES records (id),
        method TEXT NOT NULL,
        work_id INTEGER,
        title TEXT,
        doi TEXT,
        pmid TEXT,
        year INTEGER,
        data TEXT NOT NULL,
        raw TEXT NOT NULL
    )""",
    "CREATE INDEX records_file ON records (file_id, idx)",
    "CREATE INDEX records_work ON records (work_id)",
    "CREATE INDEX records_doi ON records (doi)",
    "CREATE INDEX records_pmid ON records (pmid)",
    # A reviewer's correction of one field; the original record stays as imported.
    """CREATE TABLE corrections (
        id INTEGER PRIMARY KEY,
        record_id INTEGER NOT NULL REFERENCES records (id),
        field TEXT NOT NULL,
        value TEXT NOT NULL,
        corrected_by TEXT NOT NULL,
        created_at TEXT NOT NULL
    )""",
    "CREATE INDEX corrections_record ON corrections (record_id)",
]

# --- dedup: merged works and pair decisions --------------------------------------------
DEDUP_TABLES = [
    # Canonical (merged) fields of a work with more than one record.
    """CREATE TABLE works (
        work_id INTEGER PRIMARY KEY REFERENCES records (id),
        data TEXT NOT NULL
    )""",
    # Every pair dedup looked at closely: auto merges, queued uncertain pairs, and the
    # user's confirmations / rejections (which later runs never overwrite).
    """CREATE TABLE dedup_pairs (
        record_a INTEGER NOT NULL REFERENCES records (id),
        record_b INTEGER NOT NULL REFERENCES records (id),
        status TEXT NOT NULL,
        score REAL NOT NULL,
        rule TEXT NOT NULL,
        details TEXT NOT NULL,
        decided_by TEXT,
        decided_at TEXT,
        PRIMARY KEY (record_a, record_b)
    )""",
    "CREATE INDEX dedup_pairs_status ON dedup_pairs (status)",
]

# --- screening: decisions (append-only history) and resolutions ------------------------
SCREENING_TABLES = [
    # Append-only: a change is a new row, an undo is a row with decision NULL. The current
    # decision of (work, reviewer, stage) is the row with the highest id.
    """CREATE TABLE decisions (
        id INTEGER PRIMARY KEY,
        work_id INTEGER NOT NULL,
        reviewer TEXT NOT NULL,
        stage TEXT NOT NULL,
        decision TEXT,
        reasons TEXT NOT NULL,
        note TEXT,
        protocol_version TEXT,
        created_at TEXT NOT NULL
    )""",
    "CREATE INDEX decisions_current ON decisions (stage, reviewer, work_id, id)",
    """CREATE TABLE resolutions (
        id INTEGER PRIMARY KEY,
        work_id INTEGER NOT NULL,
        stage TEXT NOT NULL,
        decision TEXT,
        reasons TEXT NOT NULL,
        note TEXT,
        resolved_by TEXT NOT NULL,
        created_at TEXT NOT NULL
    )""",
    "CREATE INDEX resolutions_work ON resolutions (stage, work_id, id)",
]

# --- full text: retrieval of reports ---------------------------------------------------
FULLTEXT_TABLES = [
    # Append-only like decisions: the current retrieval status of a work is its row with
    # the highest id; a row whose status is NULL withdraws the previous one. Eligibility
    # decisions at full text live in ``decisions`` with stage 'fulltext'.
    """CREATE TABLE retrievals (
        id INTEGER PRIMARY KEY,
        work_id INTEGER NOT NULL,
        status TEXT,
        note TEXT,
        recorded_by TEXT NOT NULL,
        created_at TEXT NOT NULL
    )""",
    "CREATE INDEX retrievals_work ON retrievals (work_id, id)",
]

# --- team: the roster of reviewers and the stages the lead has unblinded ----------------
TEAM_TABLES = [
    # A removed reviewer keeps their row (``removed_at`` set): their decisions still name
    # them and still count, they just can no longer act. Names are stored normalised
    # (``screener.roster.normalize_name``); rows from the migration below keep the
    # spelling already in the decisions so that history stays attributable.
    """CREATE TABLE reviewers (
        name TEXT PRIMARY KEY,
        role TEXT NOT NULL,
        added_at TEXT NOT NULL,
        removed_at TEXT
    )""",
    # One row per stage the lead unblinded; unblinding is final (what was seen cannot be
    # unseen), so there is no way back and no history beyond who and when.
    """CREATE TABLE unblinded_stages (
        stage TEXT PRIMARY KEY,
        unblinded_by TEXT NOT NULL,
        unblinded_at TEXT NOT NULL
    )""",
    # Existing names become roster entries: whoever resolved a conflict is a lead, everyone
    # else who decided is a reviewer.
    """INSERT INTO reviewers (name, role, added_at)
        SELECT resolved_by, 'lead', MIN(created_at) FROM resolutions GROUP BY resolved_by""",
    """INSERT INTO reviewers (name, role, added_at)
        SELECT reviewer, 'reviewer', MIN(created_at) FROM decisions
        WHERE reviewer NOT IN (SELECT name FROM reviewers) GROUP BY reviewer""",
]

# --- ranked screening: a lead's stop of title/abstract screening ----------------------
STOPPING_TABLES = [
    # Each stop names the rule it followed; a resume fills resumed_by/at and keeps the row,
    # so the history of stops stays in the log. At most one stop is active (not resumed).
    """CREATE TABLE screening_stops (
        id INTEGER PRIMARY KEY,
        stopped_by TEXT NOT NULL,
        stopped_at TEXT NOT NULL,
        rule TEXT NOT NULL,
        recall_target REAL NOT NULL,
        confidence REAL NOT NULL,
        resumed_by TEXT,
        resumed_at TEXT
    )""",
    # The works nobody had screened when the stop was made: only these are excluded by
    # it (works imported later are not).
    """CREATE TABLE stopped_works (
        stop_id INTEGER NOT NULL REFERENCES screening_stops (id),
        work_id INTEGER NOT NULL,
        PRIMARY KEY (stop_id, work_id)
    )""",
]

# --- blinding held by the database (PostgreSQL) ------------------------------------------
BLINDING_TABLES = [
    # The stages the protocol blinds, as the project owner's last command saw the protocol
    # (``Store.sync_blind_stages``). PostgreSQL's row-level security reads it, so a
    # reviewer's login cannot unblind itself by editing its copy of the protocol. Until
    # the owner syncs it, every stage is blinded.
    """CREATE TABLE blind_stages (
        stage TEXT PRIMARY KEY
    )""",
    "INSERT INTO blind_stages (stage) VALUES ('title_abstract')",
    "INSERT INTO blind_stages (stage) VALUES ('fulltext')",
]

# Blinded now: blinded by the protocol and not unblinded by the lead.
_BLINDED_NOW = ("SELECT stage FROM blind_stages "
                "WHERE stage NOT IN (SELECT stage FROM unblinded_stages)")
_IS_LEAD = ("EXISTS (SELECT 1 FROM reviewers WHERE name = current_user::text "
            "AND role = 'lead' AND removed_at IS NULL)")

# --- staged imports: a file's records are written in batches, published at once --------
_RECORD_COLUMNS = ("id, file_id, idx, line, parent_id, method, work_id, title, doi, pmid, "
                   "year, data, raw")
STAGING_TABLES = [
    # An import writes its records in small committed batches (so a reviewer's decision
    # never waits for a whole file) while its file is 'staged'; publishing flips the state
    # in one tiny transaction. A failed import's file is 'discarded' before its rows are
    # deleted. ``staged_by`` (host:pid) and ``staged_at`` (renewed each batch) tell a
    # live import from one that died (kill -9, power cut), whose rows are removed later.
    "ALTER TABLE source_files ADD COLUMN state TEXT NOT NULL DEFAULT 'published'",
    "ALTER TABLE source_files ADD COLUMN staged_by TEXT",
    "ALTER TABLE source_files ADD COLUMN staged_at TEXT",
    # Writers use the table; every reader reads the view ``records``, which holds the
    # records of published files only. NOT IN over the (usually empty) list of unpublished
    # files is checked once per query and leaves the choice of index to the query (an IN
    # or a join would drive the scan through records_file, or stop SQLite flattening
    # the view into a LEFT JOIN).
    "ALTER TABLE records RENAME TO record_rows",
    f"""CREATE VIEW records AS SELECT {_RECORD_COLUMNS} FROM record_rows
        WHERE file_id NOT IN (SELECT id FROM source_files WHERE state <> 'published')""",
    # The view needs file_id beside work_id: with it the index still covers work lookups.
    "DROP INDEX records_work",
    "CREATE INDEX records_work ON record_rows (work_id, file_id)",
]

# --- indexes: one behind every foreign key, none that no query uses --------------------
INDEX_CHANGES = [
    # Deleting a record (what a failed, interrupted or dead import staged) makes the
    # database look for the rows that name it. Without these each deleted record read
    # every record and every pair: discarding 8,000 staged records took 13 s, 100,000 half
    # an hour. (Partial: almost no record has a parent.)
    "CREATE INDEX record_rows_parent ON record_rows (parent_id) WHERE parent_id IS NOT NULL",
    "CREATE INDEX dedup_pairs_record_b ON dedup_pairs (record_b)",
    # No query looks a record up by DOI or PMID (dedup blocks on keys it computes from the
    # records); keeping these two up to date was a fifth of the CPU time of storing one.
    "DROP INDEX IF EXISTS records_doi",
    "DROP INDEX IF EXISTS records_pmid",
]

POSTGRES_ONLY: dict[int, list[str]] = {
    # Row-level security: a reviewer's login reads only its own decisions at a blinded
    # stage and no resolution there, and writes decisions only under its own name; only a
    # lead's login resolves. The tables' owner (who ran ``screener init``) is not bound.
    4: [
        "ALTER TABLE decisions ENABLE ROW LEVEL SECURITY",
        f"""CREATE POLICY screener_read ON decisions FOR SELECT USING (
            reviewer = current_user::text OR stage NOT IN ({_BLINDED_NOW}) OR {_IS_LEAD})""",
        """CREATE POLICY screener_write ON decisions FOR INSERT
            WITH CHECK (reviewer = current_user::text)""",
        "ALTER TABLE resolutions ENABLE ROW LEVEL SECURITY",
        f"""CREATE POLICY screener_read ON resolutions FOR SELECT USING (
            stage NOT IN ({_BLINDED_NOW}) OR {_IS_LEAD})""",
        f"""CREATE POLICY screener_write ON resolutions FOR INSERT
            WITH CHECK (resolved_by = current_user::text AND {_IS_LEAD})""",
    ],
    # Logins made before the view existed read it as they read the table (a renamed
    # table keeps its grants; a new view has none).
    5: [
        """DO $$ DECLARE login text; BEGIN
            FOR login IN SELECT DISTINCT grantee FROM information_schema.role_table_grants
                WHERE table_schema = current_schema() AND table_name = 'record_rows'
                AND privilege_type = 'SELECT' AND grantee <> current_user LOOP
              EXECUTE format('GRANT SELECT ON records TO %I', login);
            END LOOP; END $$""",
    ],
}
"""Statements applied on PostgreSQL only, after migration N of ``MIGRATIONS``."""

MIGRATIONS: list[list[str]] = [
    IMPORT_TABLES + DEDUP_TABLES + SCREENING_TABLES + FULLTEXT_TABLES,
    TEAM_TABLES,
    STOPPING_TABLES,
    BLINDING_TABLES,
    STAGING_TABLES,
    INDEX_CHANGES,
]
"""Migration N (1-based) brings a database from user_version N-1 to N. Append, never edit
a migration that has been released."""

SCHEMA_VERSION = len(MIGRATIONS)
