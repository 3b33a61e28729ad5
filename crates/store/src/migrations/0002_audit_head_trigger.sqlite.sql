-- The audit head follows the last change row, in the same statement that inserts it.
CREATE TRIGGER change_log_head AFTER INSERT ON change_log BEGIN UPDATE audit_head SET seq = NEW.seq, hash = NEW.hash WHERE id = 1; END;
