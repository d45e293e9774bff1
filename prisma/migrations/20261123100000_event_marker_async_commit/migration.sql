-- forumbot_event_context (see its first migration) commits the event's marker without waiting for
-- the write-ahead log to reach the disk: on PostgreSQL that wait was most of the call's time.
-- Safe: the log is written in order, so whatever the command then changes, in a transaction that
-- does wait, reaches the disk with the marker before it. Lost in a crash are only markers of events
-- whose effects were lost too, and the platform's retry of those is then handled afresh.
-- Call it only as a statement of its own, as the core does (loadEventContext takes the client, not a
-- transaction): inside a larger transaction the setting would cover all that transaction writes.
CREATE OR REPLACE FUNCTION forumbot_event_context(p_event text, p_platform text, p_user text, p_conversation text, p_state text)
RETURNS TABLE (duplicate boolean, account json, person json, forum json, membership json, state json)
LANGUAGE plpgsql AS $fn$
#variable_conflict use_column
BEGIN
  IF p_event IS NOT NULL THEN
    PERFORM set_config('synchronous_commit', 'off', true);
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
