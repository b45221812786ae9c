/**
 * `npm run admin -- <command>`: the commune server's admin CLI (enrolment codes, devices, demo
 * data, offline imports). See help.ts for the commands and src/server/README.md for the design.
 *
 * stdout carries the result only: with --json exactly one JSON object, else the human text.
 * Exit codes: 0 done, 1 failed, 2 wrong usage, 130 stopped by Ctrl-C (the batches before are kept).
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { AdminError } from '../admin/admin-error';
import type { AdminCommandName } from '../admin/commands';
import type { DevicesResult } from '../admin/devices-command';
import type { EnrollmentCodeResult } from '../admin/enrollment-command';
import type { ImportResult } from '../admin/import-command';
import type { SeedResult } from '../admin/seed-command';
import { readConfig, type ServerConfig } from '../config';
import { CliFailure } from './cli-failure';
import { parseCommandLine, type CommandLine } from './command-line';
import { connectUrl, serverAddressFor } from './connect-url';
import { HELP_TEXT } from './help';
import { terminalQr } from './qr';
import { describeVia, renderDevices, renderEnrollmentCode, renderImport, renderSeed } from './render';
import { executeCommand, type Executed } from './store-access';

/** As a shell reports a process ended by Ctrl-C. */
const EXIT_INTERRUPTED = 130;

type RunnableLine = Exclude<CommandLine, { kind: 'help' } | { kind: 'usage' }>;

const writeOut = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
const writeJson = (value: object) => writeOut(JSON.stringify(value));

function toFailure(error: unknown): CliFailure {
  if (error instanceof CliFailure) return error;
  if (error instanceof AdminError) return new CliFailure(error.code, error.message);
  // Only the message: database errors keep the rows they failed on in other fields.
  return new CliFailure(
    'internal_error',
    `Lỗi không mong đợi: ${error instanceof Error ? error.message : String(error)}`,
  );
}

function readExportFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliFailure(
      'invalid_file',
      `Không đọc được tệp ${file} (${(error as NodeJS.ErrnoException).code ?? 'lỗi đọc'}).`,
    );
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new CliFailure('invalid_file', `Tệp ${file} không phải JSON.`);
  }
}

function readConfigOrFail(): ServerConfig {
  try {
    return readConfig(process.env);
  } catch (error) {
    throw new CliFailure('invalid_config', error instanceof Error ? error.message : String(error));
  }
}

/** Ctrl-C once: long commands stop after the running batch and close the store cleanly; twice: now. */
function interruptOnCtrlC(): AbortSignal {
  const controller = new AbortController();
  process.on('SIGINT', () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('\nĐang dừng sau lô đang chạy (nhấn Ctrl-C lần nữa để dừng ngay)…\n');
    controller.abort();
  });
  return controller.signal;
}

function argsOf(line: RunnableLine): { command: AdminCommandName; args: unknown } {
  switch (line.kind) {
    case 'enrollment-code':
    case 'devices':
    case 'seed':
      return { command: line.kind, args: line.args };
    case 'import':
      return { command: 'import', args: { file: readExportFile(line.file) } };
  }
}

function report(line: RunnableLine, executed: Executed, config: ServerConfig) {
  const { via } = executed;
  switch (line.kind) {
    case 'enrollment-code': {
      const result = executed.result as EnrollmentCodeResult;
      const server = line.serverUrl
        ? { url: line.serverUrl, isLocalOnly: false }
        : executed.channel
          ? serverAddressFor(executed.channel.listenHost, executed.channel.port)
          : serverAddressFor(config.host, config.port);
      const link = connectUrl(server.url, result.code);
      if (line.json) return writeJson({ ...result, connectUrl: link, via });
      return writeOut(
        `${renderEnrollmentCode(result, server, link, terminalQr(link), line.args.expiresInMs)}\n${describeVia(executed)}`,
      );
    }
    case 'devices':
      return line.json
        ? writeJson({ ...executed.result, via })
        : writeOut(`${renderDevices(executed.result as DevicesResult)}\n${describeVia(executed)}`);
    case 'seed':
      return line.json
        ? writeJson({ ...executed.result, via })
        : writeOut(`${renderSeed(executed.result as SeedResult)}\n${describeVia(executed)}`);
    case 'import':
      return line.json
        ? writeJson({ ...executed.result, via })
        : writeOut(
            `${renderImport(executed.result as ImportResult, path.basename(line.file))}\n${describeVia(executed)}`,
          );
  }
}

export async function runCli(argv: readonly string[]): Promise<number> {
  const line = parseCommandLine(argv);
  if (line.kind === 'help') {
    if (line.json) writeJson({ command: 'help', text: HELP_TEXT });
    else writeOut(HELP_TEXT);
    return 0;
  }
  if (line.kind === 'usage') {
    if (line.json) writeJson({ error: { code: 'usage', message: line.message } });
    else process.stderr.write(`${line.message}\nXem hướng dẫn: npm run admin -- help\n`);
    return 2;
  }
  try {
    const config = readConfigOrFail();
    const { command, args } = argsOf(line);
    const executed = await executeCommand(config, command, args, { now: () => new Date(), signal: interruptOnCtrlC() });
    report(line, executed, config);
    return 'interrupted' in executed.result && executed.result.interrupted === true ? EXIT_INTERRUPTED : 0;
  } catch (error) {
    const failure = toFailure(error);
    if (line.json) writeJson({ error: { code: failure.code, message: failure.message } });
    else process.stderr.write(`Lỗi: ${failure.message}\n`);
    return failure.code === 'interrupted' ? EXIT_INTERRUPTED : 1;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // Writes to a pipe or file are synchronous on Linux, so exiting at once loses no output.
  runCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`Lỗi: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
