-- Wake the web chat's open event streams (Server-Sent Events) when a message is stored for a
-- conversation: every instance sharing the database LISTENs on this channel. The payload is the
-- conversation ref only; the stream reads the message itself, so nothing private travels here.
-- NOTIFY is delivered at commit, so a stream never reads a message before it is there.
CREATE FUNCTION forumbot_web_inbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('forumbot_web_inbox', NEW.conversation);
  RETURN NULL;
END
$$;

CREATE TRIGGER "WebInbox_notify" AFTER INSERT ON "WebInbox"
  FOR EACH ROW EXECUTE FUNCTION forumbot_web_inbox_notify();
