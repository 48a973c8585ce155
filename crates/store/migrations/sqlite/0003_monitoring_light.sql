-- 运行监控: the warning light of a monitoring form (red, yellow, green), kept with the other
-- figures a list shows so the bureau can filter by it.
ALTER TABLE forms ADD COLUMN light TEXT;
