/**
 * A worker thread running a share of the burst's devices, each an async loop (device-loop.ts),
 * for one run after another. Per run it is sent 'load' with its devices: it serialises and gzips
 * every push batch first and says 'ready'; on 'go' it runs all its devices at once and answers
 * with their reports. Started by device-pool.ts.
 */
import { parentPort } from 'node:worker_threads';
import { gzipSync } from 'node:zlib';
import { openDeviceLink } from './device-http';
import { runDevice, type PreparedBatch } from './device-loop';
import type { SimulatedDevice, WorkerCommand, WorkerInput, WorkerMessage } from './device-types';

function prepare(device: SimulatedDevice, batchSize: number): PreparedBatch[] {
  const batches: PreparedBatch[] = [];
  for (let start = 0; start < device.ops.length; start += batchSize) {
    const ops = device.ops.slice(start, start + batchSize);
    const json = JSON.stringify({ protocol: 1, deviceId: device.deviceId, ops });
    batches.push({ body: gzipSync(json), lastSeq: ops[ops.length - 1]?.seq ?? 0, ops: ops.length });
  }
  return batches;
}

async function runAll(input: WorkerInput, prepared: { device: SimulatedDevice; batches: PreparedBatch[] }[]) {
  return Promise.all(
    prepared.map(async ({ device, batches }) => {
      const link = openDeviceLink(input.baseUrl, device.token);
      try {
        return await runDevice(link, device, batches, input.policy, input.deadlineEpochMs);
      } finally {
        link.close();
      }
    }),
  );
}

function serve(port: NonNullable<typeof parentPort>) {
  const say = (message: WorkerMessage) => port.postMessage(message);
  let loaded: { input: WorkerInput; prepared: { device: SimulatedDevice; batches: PreparedBatch[] }[] } | undefined;
  port.on('message', (command: WorkerCommand) => {
    try {
      if (command.type === 'load') {
        const { input } = command;
        loaded = {
          input,
          prepared: input.devices.map((device) => ({ device, batches: prepare(device, input.policy.batchSize) })),
        };
        say({ type: 'ready' });
        return;
      }
      const run = loaded;
      loaded = undefined;
      if (!run) throw new Error("'go' before 'load'");
      runAll(run.input, run.prepared).then(
        (reports) => say({ type: 'done', reports }),
        (error: unknown) =>
          say({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
      );
    } catch (error) {
      say({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  });
}

if (parentPort) serve(parentPort);
