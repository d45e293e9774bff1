import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
}

/**
 * A real SMTP server (the `smtp-server` package) on a free local port; what it receives is parsed
 * with `mailparser`. `refuse = true` makes it answer every message with a 451 (a server having a bad day).
 */
export async function localSmtp() {
  const mails: ReceivedMail[] = [];
  const taken = new Set<ReceivedMail>();
  const waiting: (() => void)[] = [];
  const control = { refuse: false };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          if (control.refuse) return callback(Object.assign(new Error('Try again later'), { responseCode: 451 }));
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), subject: mail.subject ?? '', text: mail.text ?? '' });
          for (const wake of waiting.splice(0)) wake();
          callback();
        },
        (err) => callback(err),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    mails,
    control,
    /** The next mail to `to` not yet taken, waiting for it up to `ms`. */
    async mailTo(to: string, ms = 10_000): Promise<ReceivedMail> {
      const deadline = Date.now() + ms;
      for (;;) {
        const found = mails.find((m) => m.to === to && !taken.has(m));
        if (found) {
          taken.add(found);
          return found;
        }
        if (Date.now() > deadline) throw new Error(`no mail to ${to} within ${ms} ms`);
        await new Promise<void>((resolve) => {
          waiting.push(resolve);
          setTimeout(resolve, 200);
        });
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The sign-in link and code in a mail. */
export function linkAndCode(mail: ReceivedMail): { link: string; token: string; code: string } {
  const link = /(https?:\/\/\S+#signin=([\w-]{43}))/.exec(mail.text);
  const code = /\b(\d{6})\b/.exec(mail.text);
  if (!link || !code) throw new Error(`no link or code in: ${mail.text}`);
  return { link: link[1], token: link[2], code: code[1] };
}
