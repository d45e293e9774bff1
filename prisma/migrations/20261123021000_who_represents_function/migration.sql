-- The register of one partnership, "who represents us on …", the question the public asks most:
-- its seats in label order, each with its holder now (name, organisation, how filled, until
-- when), and its sub-groups' names, as one JSON value (whoRepresents in
-- src/features/forums/forums.service.ts). A function so its plan is kept per connection rather
-- than made per question. The partnership is found by id, or else by its full name in any case;
-- NULL when there is none.
CREATE FUNCTION forumbot_who_represents(p_forum text, p_id text, p_name text, p_now timestamp(3))
RETURNS json
LANGUAGE plpgsql STABLE AS $fn$
BEGIN
  RETURN (
    SELECT json_build_object(
      'id', pt.id,
      'name', pt.name,
      'children', COALESCE((SELECT json_agg(c.name ORDER BY c.name) FROM "Partnership" c WHERE c."parentId" = pt.id), '[]'::json),
      'seats', COALESCE((
        SELECT json_agg(json_build_object(
          'label', s.label,
          'interestArea', s."interestArea",
          'holder', (
            SELECT json_build_object('name', pe."displayName", 'organisation', o.name, 'filledBy', h."filledBy", 'endsOn', h."endsOn")
            FROM "SeatHolding" h
            JOIN "Person" pe ON pe.id = h."personId"
            LEFT JOIN "Organisation" o ON o.id = h."organisationId"
            WHERE h."seatId" = s.id AND h."startsOn" <= p_now AND h."endsOn" > p_now
            ORDER BY h."startsOn" DESC LIMIT 1)) ORDER BY s.label)
        FROM "Seat" s WHERE s."partnershipId" = pt.id), '[]'::json))
    FROM "Partnership" pt
    WHERE pt."forumId" = p_forum AND (pt.id = p_id OR (p_id IS NULL AND lower(pt.name) = lower(btrim(p_name))))
    ORDER BY pt."createdAt"
    LIMIT 1);
END
$fn$;
