/**
 * Slack channel figures on loopback: ack latency at a steady 50 requests/s (signed message.im
 * deliveries into the running HttpApp) and the time from sending a delivery to the first progress
 * call (assistant.threads.setStatus) reaching the fake Slack API. Bounded: BENCH_SECONDS (default 10).
 */
import { messageEnvelope, postSlackEvent } from '../test/support/slackSigning.js';
import { SIGNING_SECRET, startHarness, TEAM } from '../test/channels/slack/support/harness.js';

const RATE = Number(process.env.BENCH_RATE ?? 50);
const SECONDS = Math.min(Number(process.env.BENCH_SECONDS ?? 10), 30);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

async function main(): Promise<void> {
  const h = await startHarness();
  h.slack.addUser({ id: 'U0ADA', teamId: TEAM, email: 'ada@acme.test', name: 'Ada Lovelace' });
  const total = RATE * SECONDS;
  const acks: number[] = [];
  const firstProgress: number[] = [];
  const failures: number[] = [];
  const inFlight: Promise<void>[] = [];
  const started = performance.now();
  for (let i = 0; i < total; i += 1) {
    const due = started + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const channel = `D0BENCH${i}`;
    const envelope = messageEnvelope({ teamId: TEAM, user: 'U0ADA', text: `request ${i}`, channel });
    inFlight.push((async () => {
      const sentAt = performance.now();
      const res = await postSlackEvent(h.eventsUrl, SIGNING_SECRET, envelope);
      if (res.status !== 200) failures.push(res.status);
      acks.push(res.ms);
      const progress = await h.slack.waitForCall('assistant.threads.setStatus', (call) => call.args.channel_id === channel, 15_000).catch(() => null);
      if (progress) firstProgress.push(progress.at - sentAt);
    })());
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - started) / 1000;
  acks.sort((a, b) => a - b);
  firstProgress.sort((a, b) => a - b);
  console.log(`slack bench: ${total} signed deliveries at ${RATE}/s over ${elapsed.toFixed(1)} s (loopback, real Redis, fake Slack API)`);
  console.log(`  ack latency        p50 ${percentile(acks, 50).toFixed(1)} ms  p99 ${percentile(acks, 99).toFixed(1)} ms  max ${(acks.at(-1) ?? 0).toFixed(1)} ms`);
  console.log(`  receipt→first progress (setStatus)  p50 ${percentile(firstProgress, 50).toFixed(1)} ms  p99 ${percentile(firstProgress, 99).toFixed(1)} ms  (${firstProgress.length}/${total} observed)`);
  console.log(`  turns submitted ${h.gateway.turns.length}/${total}; non-200 answers ${failures.length}`);
  await h.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
