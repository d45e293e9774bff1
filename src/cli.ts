/**
 * The forumbot command. Each subcommand loads only what it needs, so quick ones (count, help)
 * start fast.
 */
const usage = `forumbot: a chat bot for third-sector forums

Usage:
  forumbot start [--demo]        start the bot and its web chat (PORT, default 3000);
                                 --demo: the demo forum's people can be picked on the page, no sign-in
  forumbot officer add EMAIL --forum SLUG
                                 make the person with this email an officer of a forum (they sign in by email)
  forumbot db migrate            apply database migrations
  forumbot db new-migration NAME write a migration for changes to prisma/schema.prisma
  forumbot seed --demo           create a sample county forum to try every command
  forumbot count FILE.blt [--method scottish-stv|meek-stv|av|fptp|block] [--json]
                                 count a ballot file (BLT format)
  forumbot tenders import FILE|URL [--forum SLUG] [--themes a,b] [--areas a,b] [--json]
                                 import an OCDS release package as tender alerts

Configuration is read from the environment; see README.md.`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start':
      return (await import('./main.ts')).start(rest);
    case 'officer':
      return (await import('./features/forums/officer-cli.ts')).officerCli(rest);
    case 'db':
      return (await import('./db/db-cli.ts')).dbCli(rest);
    case 'seed':
      return (await import('./db/db-cli.ts')).seedCli(rest);
    case 'count':
      return (await import('./features/elections/counting/count-cli.ts')).runCountCli(rest);
    case 'tenders':
      return (await import('./features/tenders/tenders-cli.ts')).tendersCli(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(usage);
      return 0;
    default:
      console.error(`Unknown command “${command}”.\n\n${usage}`);
      return 2;
  }
}
