import http from 'node:http';
import { errorBodySchema } from '../../shared/protocol/errors.schema';
import type { AdminChannelInfo } from '../admin/admin-channel-file';
import { ADMIN_PREFIX } from '../admin/admin-routes';
import type { AdminCommandName } from '../admin/commands';
import { CliFailure } from './cli-failure';

/**
 * Sends one command to the running server over its local admin channel. node:http rather than
 * fetch: a big seed may take minutes, and fetch gives up waiting for headers after five.
 */
export function callAdminChannel(
  channel: AdminChannelInfo,
  command: AdminCommandName,
  args: unknown,
  signal?: AbortSignal,
): Promise<object> {
  const body = Buffer.from(JSON.stringify(args ?? {}), 'utf8');
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: channel.host,
        port: channel.port,
        method: 'POST',
        path: `${ADMIN_PREFIX}/${command}`,
        agent: false,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'content-length': body.length,
          authorization: `Bearer ${channel.token}`,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          let parsed: unknown;
          try {
            parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            reject(new CliFailure('server_error', `Máy chủ trả lời không đọc được (HTTP ${response.statusCode}).`));
            return;
          }
          if (response.statusCode === 200 && typeof parsed === 'object' && parsed !== null) {
            resolve(parsed);
            return;
          }
          const error = errorBodySchema.safeParse(parsed);
          if (response.statusCode === 401) {
            reject(
              new CliFailure(
                'unauthorized',
                'Máy chủ đang chạy không nhận mã quản trị trong admin.json: hãy khởi động lại máy chủ.',
              ),
            );
          } else if (error.success && response.statusCode === 400) {
            reject(new CliFailure(error.data.error.code, error.data.error.message));
          } else {
            const code = error.success ? error.data.error.code : 'server_error';
            reject(
              new CliFailure(
                code,
                `Máy chủ không thực hiện được lệnh (HTTP ${response.statusCode}, ${code}). Xem nhật ký của máy chủ.`,
              ),
            );
          }
        });
      },
    );
    // Ctrl-C: hang up; the server notices the closed request and stops between two batches.
    signal?.addEventListener('abort', () => {
      request.destroy(
        new CliFailure(
          'interrupted',
          'Đã dừng (Ctrl-C): máy chủ dừng lệnh sau lô đang chạy; các lô trước đó đã lưu trọn vẹn.',
        ),
      );
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (error instanceof CliFailure) return reject(error);
      reject(
        new CliFailure(
          'server_unreachable',
          `Không kết nối được máy chủ đang chạy tại ${channel.host} cổng ${channel.port} (${error.code ?? error.message}).`,
        ),
      );
    });
    request.end(body);
  });
}
