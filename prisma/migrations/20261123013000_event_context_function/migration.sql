-- What every event needs before its command runs, in one call (src/core/event-context.ts).
-- A function rather than a query sent each time because PostgreSQL keeps a PL/pgSQL function's
-- query plans for the session: the query is planned once per connection, not once per event,
-- which halves its cost on the embedded database.
--
-- p_event: the platform's event id ("slack:Ev123"), or NULL. When given it is recorded in
--   "ProcessedEvent" first; if it was already there (a platform's retry of a delivery already
--   handled) the function returns one row with duplicate = true and nothing else.
-- The forum is the one that linked this conversation, else the person's chosen forum, else their
-- only active membership's, else the only forum there is.
CREATE FUNCTION forumbot_event_context(p_event text, p_platform text, p_user text, p_conversation text, p_state text)
RETURNS TABLE (duplicate boolean, account json, person json, forum json, membership json, state json)
LANGUAGE plpgsql AS $fn$
#variable_conflict use_column
BEGIN
  IF p_event IS NOT NULL THEN
    INSERT INTO "ProcessedEvent" (key, "createdAt") VALUES (p_event, now()) ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN
      RETURN QUERY SELECT true, NULL::json, NULL::json, NULL::json, NULL::json, NULL::json;
      RETURN;
    END IF;
  END IF;
  RETURN QUERY
  WITH a AS (SELECT * FROM "Account" WHERE platform = p_platform AND "platformUserId" = p_user),
  p AS (SELECT "Person".* FROM "Person" JOIN a ON a."personId" = "Person".id),
  chosen AS (
    SELECT COALESCE(
      (SELECT "forumId" FROM "Channel" WHERE ref = p_conversation ORDER BY "createdAt" LIMIT 1),
      (SELECT f.id FROM "Forum" f JOIN p ON p."currentForumId" = f.id),
      (SELECT CASE WHEN count(*) = 1 THEN min(m."forumId") END FROM "Membership" m JOIN p ON m."personId" = p.id WHERE m.status = 'ACTIVE'),
      (SELECT CASE WHEN count(*) = 1 THEN min(id) END FROM "Forum")
    ) AS id
  )
  SELECT
    false,
    (SELECT row_to_json(a) FROM a),
    (SELECT row_to_json(p) FROM p),
    (SELECT row_to_json(f) FROM "Forum" f JOIN chosen ON chosen.id = f.id),
    (SELECT row_to_json(m) FROM "Membership" m JOIN chosen ON chosen.id = m."forumId" JOIN p ON p.id = m."personId"),
    (SELECT row_to_json(s) FROM "ConversationState" s WHERE s.key = p_state);
END
$fn$;
