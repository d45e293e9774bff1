-- One way to cast a ballot: the `ballot cast` command, through the core's permission check and
-- castBallot (src/features/elections/voting.service.ts), like every other command. The one-statement
-- quick path restated in PL/pgSQL who may vote, the method's limits and the membership check; it
-- is gone, and so is its function. Written by hand: Prisma does not see functions.
DROP FUNCTION IF EXISTS forumbot_cast_ballot(text, text, text, text, text, text, text[], timestamp(3), text, bytea, bytea);
