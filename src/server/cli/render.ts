import type { PushCounts, Rejection } from '../admin/apply-batches';
import type { DevicesResult, DeviceView } from '../admin/devices-command';
import type { EnrollmentCodeResult } from '../admin/enrollment-command';
import type { ImportResult } from '../admin/import-command';
import type { SeedResult } from '../admin/seed-command';
import type { VillageRef } from '../admin/village-lookup';
import type { Title } from '../../shared/schemas/assessment.schema';
import type { Entity } from '../../shared/schemas/entities';
import type { ServerAddress } from './connect-url';
import { formatDuration, formatNumber, formatSeconds, formatTime, printable, table } from './format';
import type { Executed } from './store-access';

/** Human output of each command (Vietnamese). Prints no register data (no citizen or household field). */

const ENTITY_LABELS: Record<Entity, string> = {
  village: 'thôn/khu phố',
  household: 'hộ gia đình',
  citizen: 'nhân khẩu',
  clan: 'dòng họ',
  unit: 'đơn vị',
  assessment: 'đánh giá',
};

const TITLE_LABELS: Record<Title, string> = {
  learning_family: 'Gia đình học tập',
  learning_citizen: 'Công dân học tập',
  learning_clan: 'Dòng họ học tập',
  learning_community: 'Cộng đồng học tập (thôn)',
  learning_unit: 'Đơn vị học tập',
};

export function describeVia(executed: Executed): string {
  switch (executed.via) {
    case 'server':
      return `(qua máy chủ đang chạy, tiến trình ${executed.channel?.pid ?? '?'})`;
    case 'pglite':
      return '(máy chủ không chạy: công cụ tự mở dữ liệu PGlite)';
    case 'postgres':
      return '(nối thẳng PostgreSQL theo DATABASE_URL)';
  }
}

function villagesText(villages: readonly VillageRef[] | null): string {
  if (villages === null) return 'cả xã';
  return villages.map((v) => printable(v.name ?? v.id)).join(', ');
}

export function renderEnrollmentCode(
  result: EnrollmentCodeResult,
  server: ServerAddress,
  link: string,
  qr: string,
  expiresInMs: number,
): string {
  const lines = [
    `Mã đăng ký thiết bị (dùng một lần): ${result.code}`,
    `Xã: ${result.communeName} (${result.communeCode})`,
    `Phạm vi: ${villagesText(result.villages)}`,
    `Hết hạn: ${formatTime(result.expiresAt)} (giờ Việt Nam), sau ${formatDuration(expiresInMs)}`,
    '',
    'Quét mã QR bằng điện thoại, hoặc mở địa chỉ:',
    link,
    qr,
    'Hoặc trong ứng dụng: Cài đặt → "Kết nối với máy chủ xã", nhập địa chỉ máy chủ và mã đăng ký ở trên.',
  ];
  if (server.isLocalOnly) {
    lines.push(
      `Lưu ý: ${server.url} chỉ mở được trên chính máy này. Để điện thoại kết nối được, chạy máy chủ với HOST=0.0.0.0 hoặc dùng --server-url.`,
    );
  }
  return lines.join('\n');
}

function deviceRow(d: DeviceView): string[] {
  const revoked = !d.canLogIn ? 'không đăng nhập' : d.revokedAt ? formatTime(d.revokedAt) : '—';
  return [
    d.deviceId,
    printable(d.name),
    d.communeCode,
    villagesText(d.villages),
    formatTime(d.enrolledAt),
    revoked,
    String(d.ackSeq),
  ];
}

export function renderDevices(result: DevicesResult): string {
  if ('revoked' in result) {
    const d = result.revoked;
    return result.wasAlreadyRevoked
      ? `Thiết bị ${d.deviceId} (${printable(d.name)}) đã bị thu hồi từ trước, lúc ${d.revokedAt ? formatTime(d.revokedAt) : '?'}.`
      : `Đã thu hồi thiết bị ${d.deviceId} (${printable(d.name)}, xã ${d.communeCode}): từ giờ thiết bị không đồng bộ được nữa. Dữ liệu đã gửi vẫn giữ nguyên.`;
  }
  if (result.devices.length === 0)
    return 'Chưa có thiết bị nào. Tạo mã đăng ký: npm run admin -- enrollment-code --commune <mã xã>';
  const header = ['Mã thiết bị', 'Tên', 'Xã', 'Thôn/khu phố', 'Kết nối lúc', 'Thu hồi lúc', 'ackSeq'];
  const live = result.devices.filter((d) => d.revokedAt === null).length;
  const standIns = result.devices.filter((d) => !d.canLogIn).length;
  const note =
    standIns > 0 ? `\n"không đăng nhập": thiết bị thay thế của lệnh seed hoặc của tệp nhập, không có token.` : '';
  const mismatches =
    result.scoreMismatches > 0
      ? `\n${formatNumber(result.scoreMismatches)} phiếu đánh giá có kết quả máy gửi lên khác kết quả máy chủ chấm (máy chủ lưu và gửi kết quả của máy chủ).`
      : '';
  return `${table(header, result.devices.map(deviceRow))}\n\n${formatNumber(result.devices.length)} thiết bị, ${formatNumber(live)} đang hoạt động.${note}${mismatches}`;
}

function countsText(counts: PushCounts): string {
  return [
    `${formatNumber(counts.applied)} ghi mới`,
    `${formatNumber(counts.duplicate)} trùng (đã có từ trước)`,
    `${formatNumber(counts.conflict)} xung đột`,
    `${formatNumber(counts.rejected)} bị từ chối`,
  ].join(', ');
}

function rejectionsText(rejections: readonly Rejection[], total: number): string[] {
  if (rejections.length === 0) return [];
  const more = total > rejections.length ? ` (${formatNumber(rejections.length)} đầu tiên)` : '';
  return [`Bị từ chối${more}:`, ...rejections.map((r) => `  seq ${r.seq}: ${r.code} – ${printable(r.message)}`)];
}

const INTERRUPTED = 'Đã dừng giữa chừng (Ctrl-C): các lô trước đó đã lưu trọn vẹn; chạy lại để làm tiếp.';

export function renderSeed(result: SeedResult): string {
  const labelWidth = Math.max(...Object.values(ENTITY_LABELS).map((l) => l.length));
  const records = (Object.keys(ENTITY_LABELS) as Entity[]).map(
    (entity) => `  ${ENTITY_LABELS[entity].padEnd(labelWidth)}  ${formatNumber(result.records[entity])}`,
  );
  const titles = (Object.keys(TITLE_LABELS) as Title[])
    .filter((title) => (result.assessmentsByTitle[title] ?? 0) > 0)
    .map((title) => `    ${TITLE_LABELS[title]}: ${formatNumber(result.assessmentsByTitle[title] ?? 0)}`);
  return [
    `Dữ liệu mẫu cho ${result.communeName} (${result.communeCode}), seed ${result.seed}, ${formatNumber(result.households)} hộ, đánh giá các năm ${result.years[0]}–${result.years[1]}:`,
    ...records,
    ...titles,
    `Kết quả: ${countsText(result.results)} – ${formatSeconds(result.elapsedMs)}.`,
    ...rejectionsText(result.rejections, result.results.rejected),
    ...(result.interrupted ? [INTERRUPTED] : []),
  ].join('\n');
}

export function renderImport(result: ImportResult, fileName: string): string {
  if (result.ops === 0) return `Tệp ${fileName} không có thay đổi nào để nhập.`;
  const device = `"${printable(result.deviceName) || 'chưa đặt tên'}"`;
  const standIn = `chưa đăng ký ở máy chủ này: ghi dưới thiết bị thay thế ${result.deviceId}${result.deviceCreated ? ', vừa tạo' : ''}`;
  return [
    `Đã nhập ${fileName}: ${formatNumber(result.ops)} thay đổi từ thiết bị ${device} của ${result.communeName} (${result.communeCode}), xuất lúc ${formatTime(result.exportedAt)}.`,
    `Thiết bị: ${result.isEnrolledDevice ? `đã đăng ký, mã ${result.deviceId}` : standIn}.`,
    `Kết quả: ${countsText(result.results)}.`,
    ...(result.results.conflict > 0
      ? ['Xung đột: bản trên máy chủ đã đổi sau khi thiết bị sửa; thiết bị sẽ thấy chúng khi đồng bộ.']
      : []),
    ...rejectionsText(result.rejections, result.results.rejected),
    ...(result.interrupted ? [INTERRUPTED] : []),
  ].join('\n');
}
