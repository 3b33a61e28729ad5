-- The audit head follows the last change row, in the same statement that inserts it.
CREATE FUNCTION liaison_change_log_head() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN UPDATE audit_head SET seq = NEW.seq, hash = NEW.hash WHERE id = 1; RETURN NEW; END $$;
CREATE TRIGGER change_log_head AFTER INSERT ON change_log FOR EACH ROW EXECUTE FUNCTION liaison_change_log_head();
