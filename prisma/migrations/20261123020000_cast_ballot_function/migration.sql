-- A member's first ballot from the ballot form, cast in one call (quickCast in
-- src/features/elections/voting.service.ts, which says what it checks and why). A function so
-- its plan is kept per connection rather than made per ballot, as for forumbot_event_context.
--
-- Returns no row, having changed nothing, when the account is unknown or its name or DM address
-- has changed, the person is not an active member of the election's forum, the election is not
-- open, is not one vote per member, or the ranking is not all standing candidates within the
-- method's limit: the caller then takes the ordinary path, which says why.
-- Otherwise one row: fresh = 1 when p_event was recorded now (0 when it was already there: a
-- repeated delivery, nothing done), stored = 1 when the ballot was stored (0: already voted).
-- A candidate is standing as in isStanding (elections.service.ts). The slot is HMAC-SHA256 of
-- electionId "|" voterKey under the receipt, from the two padded keys the caller makes
-- (slotKeys in secrecy.ts); the receipt itself never reaches the database.
CREATE FUNCTION forumbot_cast_ballot(
  p_event text, p_platform text, p_user text, p_name text, p_dm text,
  p_election text, p_ranking text[], p_now timestamp(3), p_ballot text, p_inner bytea, p_outer bytea)
RETURNS TABLE (title text, locale text, fresh int, stored int)
LANGUAGE plpgsql AS $fn$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  WITH who AS (
    SELECT a."personId", e.id AS "electionId", e.title, COALESCE(p.locale, f."defaultLocale") AS locale
    FROM "Account" a
    JOIN "Person" p ON p.id = a."personId"
    JOIN "Election" e ON e.id = p_election
    JOIN "Forum" f ON f.id = e."forumId"
    JOIN "Membership" m ON m."personId" = p.id AND m."forumId" = e."forumId" AND m.status = 'ACTIVE'
    WHERE a.platform = p_platform AND a."platformUserId" = p_user
      AND a."displayName" = p_name AND (p_dm IS NULL OR a."dmRef" = p_dm)
      AND e.franchise = 'INDIVIDUAL' AND e.phase = 'VOTING' AND e."votingCloseAt" > p_now
      AND cardinality(p_ranking) <= CASE e.method WHEN 'fptp' THEN 1 WHEN 'block' THEN cardinality(e."seatIds") ELSE cardinality(p_ranking) END
      AND cardinality(p_ranking) = (
        SELECT count(*) FROM "Candidate" c
        WHERE c."electionId" = e.id AND c.id = ANY(p_ranking) AND NOT c.withdrawn
          AND (c."isRon" OR (c.accepted AND (NOT e."seconderRequired" OR c."seconderId" IS NOT NULL))))
    FOR SHARE OF e),
  fresh AS (
    INSERT INTO "ProcessedEvent" (key, "createdAt") SELECT p_event, now() FROM who WHERE p_event IS NOT NULL
    ON CONFLICT DO NOTHING RETURNING key),
  roll AS (
    INSERT INTO "ElectionRoll" ("electionId", "voterKey") SELECT "electionId", 'person:' || "personId" FROM who
    WHERE p_event IS NULL OR EXISTS (SELECT 1 FROM fresh)
    ON CONFLICT DO NOTHING RETURNING "electionId", "voterKey"),
  ballot AS (
    INSERT INTO "ElectionBallot" (id, "electionId", slot, ranking)
    SELECT p_ballot, "electionId", encode(sha256(p_outer || sha256(p_inner || convert_to("electionId" || '|' || "voterKey", 'UTF8'))), 'hex'), p_ranking
    FROM roll RETURNING id)
  SELECT who.title, who.locale, (SELECT count(*) FROM fresh)::int, (SELECT count(*) FROM ballot)::int FROM who;
END
$fn$;
