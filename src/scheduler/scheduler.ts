import crypto from 'node:crypto';
import cron from 'node-cron';
import type { BotServices } from '../core/context.ts';
import type { JobDef } from '../core/feature.ts';
import { LONDON } from '../core/london-time.ts';
import { previousOccurrence } from './cron-time.ts';

export interface SchedulerOptions {
  /**
   * A running job's lease: renewed every third of it while the job runs, so a job is taken over
   * this long after its instance died, and never while it is alive (default 60 s)
   */
  leaseMs?: number;
  maxAttempts?: number;
  retryBaseMs?: number;
  /** look back this far for runs missed while no instance was up */
  catchUpMs?: number;
}

/**
 * Runs the jobs features declare. Each due time of each job is claimed by inserting a JobRun
 * row with a unique (jobId, scheduledFor): with several instances on one database only the
 * first insert wins, so a run happens once. Missed runs are caught up at start (the latest
 * missed time only: one digest, not a pile of them). A failing job is logged and retried with
 * backoff; it never takes the bot down.
 */
export class Scheduler {
  /** this process, as recorded on the runs it claims (the process id first, for an operator) */
  readonly instanceId = `${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  private tasks: { stop(): void }[] = [];
  private retryTimer: NodeJS.Timeout | undefined;
  /** jobs whose due time could not be claimed (the database unreachable): claimed on the next retry pass */
  private readonly unclaimed = new Set<JobDef>();
  private readonly opts: Required<SchedulerOptions>;

  constructor(
    private readonly services: BotServices,
    private readonly jobs: JobDef[],
    opts: SchedulerOptions = {},
  ) {
    this.opts = { leaseMs: 60_000, maxAttempts: 5, retryBaseMs: 30_000, catchUpMs: 7 * 24 * 3600_000, ...opts };
  }

  /** Registers every job with node-cron and catches up on what was missed. */
  async start(): Promise<void> {
    for (const job of this.jobs) {
      const task = cron.schedule(job.cron, () => void this.runDue(job, this.services.now()), { timezone: LONDON, noOverlap: true });
      this.tasks.push(task);
    }
    // failed runs whose backoff is over, and runs whose instance died (lease expired)
    this.retryTimer = setInterval(() => void this.retryFailed(), Math.min(15_000, this.opts.leaseMs / 4));
    await this.catchUp();
  }

  async stop(): Promise<void> {
    for (const t of this.tasks) t.stop();
    this.tasks = [];
    if (this.retryTimer) clearInterval(this.retryTimer);
  }

  /** Runs, for each job, its latest due time not yet run (within the catch-up window). */
  async catchUp(now = this.services.now()): Promise<void> {
    for (const job of this.jobs) await this.runDue(job, now);
  }

  /** Runs the job for its most recent due time at or before `now`, unless that run is claimed. */
  async runDue(job: JobDef, now = this.services.now()): Promise<'ran' | 'failed' | 'skipped'> {
    const due = previousOccurrence(job.cron, now, this.opts.catchUpMs);
    if (!due) return 'skipped';
    let claimed: string | null;
    try {
      claimed = await this.claim(job.id, due, now);
    } catch (err) {
      // the database is unreachable (restarting, a dropped connection): this is called from a cron
      // tick with nobody to catch it, so it must not throw; the next retry pass claims it again
      this.services.log.warn('could not claim a job run; the next retry pass tries again', { job: job.id, scheduledFor: due.toISOString(), error: String((err as Error)?.message ?? err) });
      this.unclaimed.add(job);
      return 'failed';
    }
    if (!claimed) return 'skipped';
    return this.execute(job, claimed, due, 1);
  }

  private async claim(jobId: string, scheduledFor: Date, now: Date): Promise<string | null> {
    const id = crypto.randomUUID();
    const leaseUntil = new Date(now.getTime() + this.opts.leaseMs);
    const inserted = await this.services.db.$executeRaw`
      INSERT INTO "JobRun" (id, "jobId", "scheduledFor", status, attempts, "instanceId", "startedAt", "leaseUntil")
      VALUES (${id}, ${jobId}, ${scheduledFor}, 'RUNNING', 1, ${this.instanceId}, ${now}, ${leaseUntil})
      ON CONFLICT ("jobId", "scheduledFor") DO NOTHING`;
    return inserted === 1 ? id : null;
  }

  private async execute(job: JobDef, runId: string, scheduledFor: Date, attempt: number): Promise<'ran' | 'failed'> {
    const { db, log } = this.services;
    // the lease is renewed while the job runs: a long job is never taken over from a live instance
    const renew = setInterval(() => {
      db.jobRun
        .updateMany({ where: { id: runId, status: 'RUNNING', instanceId: this.instanceId }, data: { leaseUntil: new Date(this.services.now().getTime() + this.opts.leaseMs) } })
        .catch((err) => log.warn('job lease renewal failed', { job: job.id, error: String(err) }));
    }, this.opts.leaseMs / 3);
    try {
      await job.run({ ...this.services, scheduledFor });
      this.services.names.forget(); // a job may have changed names (an election's phase, a re-run)
      await db.jobRun.update({ where: { id: runId }, data: { status: 'SUCCEEDED', finishedAt: this.services.now(), error: null } });
      return 'ran';
    } catch (err) {
      const final = attempt >= this.opts.maxAttempts;
      const nextRetryAt = final ? null : new Date(this.services.now().getTime() + this.opts.retryBaseMs * 2 ** (attempt - 1));
      log.error('job failed', { job: job.id, scheduledFor: scheduledFor.toISOString(), attempt, final, error: String((err as Error)?.message ?? err) });
      await db.jobRun
        .update({ where: { id: runId }, data: { status: 'FAILED', finishedAt: this.services.now(), error: String((err as Error)?.message ?? err).slice(0, 2000), nextRetryAt } })
        .catch((e) => log.error('could not record job failure', { job: job.id, error: String(e) }));
      return 'failed';
    } finally {
      clearInterval(renew);
    }
  }

  /**
   * Retries failed runs whose backoff has passed, and runs whose instance died mid-run (lease
   * expired). The claim is a conditional update, so only one instance retries a run.
   */
  async retryFailed(now = this.services.now()): Promise<number> {
    const { db } = this.services;
    let retried = 0;
    try {
      // due times whose claim failed: claimed now (ON CONFLICT keeps it to one run across instances)
      for (const job of [...this.unclaimed]) {
        this.unclaimed.delete(job);
        if ((await this.runDue(job, now)) === 'ran') retried++;
      }
      const candidates = await db.jobRun.findMany({
        where: {
          OR: [
            { status: 'FAILED', nextRetryAt: { lte: now } },
            { status: 'RUNNING', leaseUntil: { lt: now } },
          ],
        },
        take: 50,
      });
      for (const run of candidates) {
        const job = this.jobs.find((j) => j.id === run.jobId);
        if (!job) continue;
        const taken = await db.jobRun.updateMany({
          where: { id: run.id, status: run.status, attempts: run.attempts },
          data: { status: 'RUNNING', attempts: { increment: 1 }, instanceId: this.instanceId, leaseUntil: new Date(now.getTime() + this.opts.leaseMs), nextRetryAt: null },
        });
        if (taken.count !== 1) continue;
        if (run.status === 'RUNNING') this.services.log.warn('job taken over from an instance that stopped', { job: run.jobId, scheduledFor: run.scheduledFor.toISOString(), instance: run.instanceId });
        await this.execute(job, run.id, run.scheduledFor, run.attempts + 1);
        retried++;
      }
    } catch (err) {
      this.services.log.error('job retry pass failed', { error: String(err) });
    }
    return retried;
  }
}
