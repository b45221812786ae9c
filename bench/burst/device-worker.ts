/**
 * A worker thread running a share of the burst's devices (device.ts), for one run after another.
 * Per run it is sent 'load' with its devices and says 'ready'; on 'go' it runs them all at once
 * and answers with their reports. Started by device-pool.ts.
 */
import { parentPort } from 'node:worker_threads';
import { runDevice } from './device';
import type { WorkerCommand, WorkerInput, WorkerMessage } from './device-pool';

function serve(port: NonNullable<typeof parentPort>) {
  const say = (message: WorkerMessage) => port.postMessage(message);
  const failed = (error: unknown) =>
    say({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  let loaded: WorkerInput | undefined;
  port.on('message', (command: WorkerCommand) => {
    if (command.type === 'load') {
      loaded = command.input;
      say({ type: 'ready' });
      return;
    }
    const run = loaded;
    loaded = undefined;
    if (!run) return failed(new Error("'go' before 'load'"));
    Promise.all(run.devices.map((device) => runDevice(run.baseUrl, device, run.policy, run.deadlineEpochMs))).then(
      (reports) => say({ type: 'done', reports }),
      failed,
    );
  });
}

if (parentPort) serve(parentPort);
