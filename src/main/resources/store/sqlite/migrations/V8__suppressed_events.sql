-- Debug mode (#10): events of a trigger in debug mode are recorded with status 'suppressed' and never claimed.
-- The events table's CHECK on status must admit the new value. SQLite cannot ALTER a constraint, and recreating the
-- table would have to copy every event and repeat the definition of columns and indexes other versions add (and
-- dropping it would cascade into delivery_attempts). A CHECK constraint is not part of the stored rows, so this uses
-- the procedure SQLite documents for changing one (https://www.sqlite.org/lang_altertable.html, "otheralter"): edit
-- the table's CREATE statement in the schema, in place, inside this migration's transaction. Old rows all satisfy
-- the wider constraint; only the text of the constraint changes.
PRAGMA writable_schema = ON;

UPDATE sqlite_master
SET sql = replace(sql, 'CHECK (status IN (''pending'', ''delivered'', ''dead''))',
                       'CHECK (status IN (''pending'', ''delivered'', ''dead'', ''suppressed''))')
WHERE type = 'table' AND name = 'events';

PRAGMA writable_schema = OFF;

-- Fails the migration (and so rolls it back) unless the constraint now admits 'suppressed': a schema whose CHECK was
-- written differently is refused rather than silently left narrow. Creating and dropping this table (in the main
-- schema, not temp) also raises SQLite's schema cookie, so every other connection re-reads the schema, with the new
-- CHECK, before its next statement.
CREATE TABLE v8_check_widened (widened INTEGER NOT NULL CHECK (widened = 1));
INSERT INTO v8_check_widened
SELECT count(*) FROM sqlite_master
WHERE type = 'table' AND name = 'events' AND sql LIKE '%''dead'', ''suppressed''))%';
DROP TABLE v8_check_widened;
