-- Values read uncertainly from a scan (issue 23): the fields whose cells the character
-- recognition was unsure of, as JSON (a list of jixiao_core::source::Uncertain), kept until the
-- unit confirms them against the paper; NULL when there is nothing to confirm.
ALTER TABLE forms ADD COLUMN readings TEXT;
