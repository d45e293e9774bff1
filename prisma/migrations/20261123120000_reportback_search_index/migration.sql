-- Word search over report-backs ("reportbacks <partnership> <words>", searchReportbacks in
-- src/features/reportbacks/reportbacks.service.ts) matches to_tsvector('simple', "searchText")
-- against the words; this index lets it find the matching rows without reading every report.
-- schema.prisma cannot declare an index on an expression; Prisma's diff leaves this one alone.
CREATE INDEX "Reportback_searchText_words_idx" ON "Reportback" USING gin (to_tsvector('simple', "searchText"));
