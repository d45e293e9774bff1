import nodemailer from 'nodemailer';
import { I18n } from '../../core/i18n.ts';
import { webCatalogues } from '../web.i18n.ts';

/** Sends the sign-in mail. `SMTP_URL` set: through that server; unset: the link is printed on the console. */
export interface Mailer {
  sendSignIn(mail: { to: string; link: string; code: string }): Promise<void>;
}

const i18n = new I18n();
i18n.register(webCatalogues);

/** The mail's subject and text, English then Welsh (the page that asked may be in either). */
export function signInMail(link: string, code: string): { subject: string; text: string } {
  const part = (locale: 'en' | 'cy') => i18n.t(locale, 'web.signIn.mail', { link, code, minutes: 15 });
  return { subject: `${i18n.t('en', 'web.signIn.subject')} / ${i18n.t('cy', 'web.signIn.subject')}`, text: `${part('en')}\n\n----\n\n${part('cy')}\n` };
}

/** Through an SMTP server, e.g. smtp://user:pass@mail.example.org:587 or smtps://…:465. */
export function smtpMailer(url: string, from: string): Mailer {
  // short timeouts: a person waits on the answer; a dead server is "try again", not a hung page
  const transport = nodemailer.createTransport({ url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 });
  return {
    async sendSignIn({ to, link, code }) {
      const { subject, text } = signInMail(link, code);
      await transport.sendMail({ from, to, subject, text });
    },
  };
}

/**
 * No SMTP server configured (one machine, the embedded default): the link is printed for the
 * operator. This line is the delivery itself, the console standing in for the mail, so it is
 * written to stdout directly rather than through `console`, whose lines the log redaction filter
 * scrubs of sign-in links (logs never hold one; this is not a log line).
 */
export function consoleMailer(print: (line: string) => void = (line) => void process.stdout.write(`${line}\n`)): Mailer {
  return {
    async sendSignIn({ to, link, code }) {
      print(`Sign-in for ${to} (no SMTP_URL is set, so it is printed here): ${link}  code ${code}  (valid 15 minutes)`);
    },
  };
}
