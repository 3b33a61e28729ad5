-- IATI: an organisation's IATI organisation identifier (the prefix of the activity identifiers
-- it reports, and how IATI files name it), and the OECD DAC purpose code an area is reported
-- under. Both optional: an organisation without one is named by its name only; an area without
-- one is reported in the reporting organisation's own sector vocabulary (99).

ALTER TABLE organisation ADD COLUMN iati_ref text;
ALTER TABLE area ADD COLUMN dac_sector text;
