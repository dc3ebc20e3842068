"""The database keeps each convention's ledger: every payment and repayment inserted adds to
its totals, whose check constraints refuse more than was granted; payments and repayments
can be neither changed nor deleted. Triggers, so that no code path (a shell, a bulk insert,
two requests at once) can exceed the grant: each insert updates the one ledger row, which
serialises concurrent payments of a convention."""

from django.db import migrations

POSTGRES = """
CREATE OR REPLACE FUNCTION funding_payment_to_ledger() RETURNS trigger AS $$
BEGIN
    UPDATE funding_ledger
       SET paid_grant_cents = paid_grant_cents + NEW.grant_cents,
           paid_advance_cents = paid_advance_cents + NEW.advance_cents
     WHERE convention_id = NEW.convention_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'funding: no ledger for convention %', NEW.convention_id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION funding_repayment_to_ledger() RETURNS trigger AS $$
BEGIN
    UPDATE funding_ledger SET repaid_cents = repaid_cents + NEW.cents
     WHERE convention_id = NEW.convention_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'funding: no ledger for convention %', NEW.convention_id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION funding_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'funding: % rows are append-only', TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END $$ LANGUAGE plpgsql;

CREATE TRIGGER funding_payment_ledger AFTER INSERT ON funding_payment
    FOR EACH ROW EXECUTE FUNCTION funding_payment_to_ledger();
CREATE TRIGGER funding_repayment_ledger AFTER INSERT ON funding_repayment
    FOR EACH ROW EXECUTE FUNCTION funding_repayment_to_ledger();
CREATE TRIGGER funding_payment_append_only BEFORE UPDATE OR DELETE ON funding_payment
    FOR EACH ROW EXECUTE FUNCTION funding_append_only();
CREATE TRIGGER funding_repayment_append_only BEFORE UPDATE OR DELETE ON funding_repayment
    FOR EACH ROW EXECUTE FUNCTION funding_append_only();
"""

POSTGRES_DROP = """
DROP TRIGGER IF EXISTS funding_payment_ledger ON funding_payment;
DROP TRIGGER IF EXISTS funding_repayment_ledger ON funding_repayment;
DROP TRIGGER IF EXISTS funding_payment_append_only ON funding_payment;
DROP TRIGGER IF EXISTS funding_repayment_append_only ON funding_repayment;
DROP FUNCTION IF EXISTS funding_payment_to_ledger();
DROP FUNCTION IF EXISTS funding_repayment_to_ledger();
DROP FUNCTION IF EXISTS funding_append_only();
"""

# No DELETE trigger on SQLite: Django empties tables there with DELETE (transactional tests'
# flush); the foreign keys' PROTECT and the models refuse deletion in the application.
SQLITE = [
    """CREATE TRIGGER funding_payment_ledger AFTER INSERT ON funding_payment
       BEGIN
           SELECT RAISE(ABORT, 'funding: no ledger')
            WHERE NOT EXISTS (SELECT 1 FROM funding_ledger WHERE convention_id = NEW.convention_id);
           UPDATE funding_ledger
              SET paid_grant_cents = paid_grant_cents + NEW.grant_cents,
                  paid_advance_cents = paid_advance_cents + NEW.advance_cents
            WHERE convention_id = NEW.convention_id;
       END""",
    """CREATE TRIGGER funding_repayment_ledger AFTER INSERT ON funding_repayment
       BEGIN
           SELECT RAISE(ABORT, 'funding: no ledger')
            WHERE NOT EXISTS (SELECT 1 FROM funding_ledger WHERE convention_id = NEW.convention_id);
           UPDATE funding_ledger SET repaid_cents = repaid_cents + NEW.cents
            WHERE convention_id = NEW.convention_id;
       END""",
    """CREATE TRIGGER funding_payment_no_update BEFORE UPDATE ON funding_payment
       BEGIN SELECT RAISE(ABORT, 'funding: payments are append-only'); END""",
    """CREATE TRIGGER funding_repayment_no_update BEFORE UPDATE ON funding_repayment
       BEGIN SELECT RAISE(ABORT, 'funding: repayments are append-only'); END""",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {name}"
    for name in (
        "funding_payment_ledger",
        "funding_repayment_ledger",
        "funding_payment_no_update",
        "funding_repayment_no_update",
    )
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement)
    else:  # pragma: no cover - Ruche runs on these two
        raise NotImplementedError(schema_editor.connection.vendor)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("funding", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
