/**
 * Vietnamese names and places for the demo register (NFC, correct diacritics). Lists are data:
 * their order is part of the generator's output, so append rather than reorder.
 */
import type { UnitInput } from '../../../shared/schemas/unit.schema';
import type { VillageInput } from '../../../shared/schemas/village.schema';

/** Family names with rough national shares (%); the south writes Huỳnh/Võ where the north writes Hoàng/Vũ. */
export const FAMILY_NAMES: readonly (readonly [string, number])[] = [
  ['Nguyễn', 38],
  ['Trần', 11],
  ['Lê', 9.5],
  ['Phạm', 7],
  ['Huỳnh', 3],
  ['Hoàng', 2],
  ['Phan', 4.5],
  ['Võ', 2.5],
  ['Vũ', 1.4],
  ['Đặng', 2.1],
  ['Bùi', 2],
  ['Đỗ', 1.4],
  ['Hồ', 1.3],
  ['Ngô', 1.3],
  ['Dương', 1],
  ['Lý', 0.5],
];

export const MALE_MIDDLE: readonly (readonly [string, number])[] = [
  ['Văn', 40],
  ['Minh', 10],
  ['Đức', 8],
  ['Hữu', 7],
  ['Thanh', 6],
  ['Quốc', 5],
  ['Công', 5],
  ['Ngọc', 4],
  ['Hoàng', 3],
  ['Xuân', 2],
];
export const FEMALE_MIDDLE: readonly (readonly [string, number])[] = [
  ['Thị', 55],
  ['Ngọc', 10],
  ['Thanh', 8],
  ['Thu', 6],
  ['Kim', 5],
  ['Minh', 4],
  ['Mỹ', 4],
  ['Bích', 3],
  ['Hồng', 3],
  ['Bảo', 2],
];
/** Middle names of children born since 2000: fewer Văn/Thị. */
export const BOY_MIDDLE: readonly (readonly [string, number])[] = [
  ['Văn', 12],
  ['Minh', 12],
  ['Gia', 10],
  ['Quốc', 8],
  ['Đức', 8],
  ['Anh', 6],
  ['Hoàng', 6],
  ['Nhật', 5],
  ['Thành', 4],
  ['Bảo', 4],
];
export const GIRL_MIDDLE: readonly (readonly [string, number])[] = [
  ['Thị', 14],
  ['Ngọc', 12],
  ['Bảo', 10],
  ['Khánh', 8],
  ['Minh', 8],
  ['Gia', 6],
  ['Thảo', 5],
  ['Phương', 5],
  ['Thanh', 4],
  ['Kim', 4],
];
export const MALE_GIVEN = [
  'Hùng', 'Dũng', 'Tuấn', 'Minh', 'Nam', 'Hải', 'Long', 'Sơn', 'Thắng', 'Cường', 'Hưng', 'Phong', 'Quang', 'Trung', 'Tâm',
  'Thành', 'Bình', 'An', 'Huy', 'Khang', 'Phúc', 'Đức', 'Vinh', 'Tài', 'Toàn', 'Tùng', 'Việt', 'Lâm', 'Hiếu', 'Nghĩa',
  'Khánh', 'Quân', 'Kiên', 'Đạt', 'Lộc', 'Thịnh', 'Nhân', 'Trí', 'Khoa', 'Bảo', 'Đông', 'Thiện', 'Khôi', 'Hoàng', 'Tín',
  'Luân', 'Thuận', 'Sang', 'Phát', 'Hòa', 'Lợi', 'Nhựt', 'Tường', 'Quyết', 'Khiêm', 'Triều', 'Duy', 'Vỹ', 'Kha', 'Thoại',
] as const;
export const FEMALE_GIVEN = [
  'Lan', 'Hương', 'Hoa', 'Mai', 'Linh', 'Trang', 'Hằng', 'Thảo', 'Ngọc', 'Hà', 'Phương', 'Thủy', 'Anh', 'Dung', 'Hạnh',
  'Nga', 'Vân', 'Yến', 'Nhung', 'Loan', 'Hiền', 'Thu', 'Hồng', 'Liên', 'Chi', 'My', 'Vy', 'Uyên', 'Giang', 'Trinh',
  'Ngân', 'Hoài', 'Tuyết', 'Xuân', 'Bích', 'Oanh', 'Quyên', 'Duyên', 'Châu', 'Diệp', 'Huệ', 'Thoa', 'Khuê', 'Nguyệt', 'Lụa',
  'Thắm', 'Ánh', 'Kiều', 'Cúc', 'Đào', 'Nhàn', 'Phượng', 'Sương', 'Tiên', 'Trâm', 'Xuyến', 'Hậu', 'Mơ', 'Sen', 'Thơ',
] as const;

/** Khu phố of a ward in Thành phố Hồ Chí Minh (formerly Bình Dương), plus a few rural names. */
export const VILLAGES: readonly VillageInput[] = [
  { name: 'Khu phố Nhị Đồng 1', kind: 'khu_pho', code: 'KP01' },
  { name: 'Khu phố Nhị Đồng 2', kind: 'khu_pho', code: 'KP02' },
  { name: 'Khu phố Bình Minh 1', kind: 'khu_pho', code: 'KP03' },
  { name: 'Khu phố Bình Minh 2', kind: 'khu_pho', code: 'KP04' },
  { name: 'Khu phố Thống Nhất', kind: 'khu_pho', code: 'KP05' },
  { name: 'Tổ dân phố 3', kind: 'to_dan_pho', code: 'TDP03' },
  { name: 'Tổ dân phố Chiêu Liêu', kind: 'to_dan_pho', code: 'TDP06' },
  { name: 'Thôn Đông', kind: 'thon', code: 'TD' },
  { name: 'Thôn Tây', kind: 'thon', code: 'TT' },
  { name: 'Ấp Tân Hòa', kind: 'ap', code: 'ATH', isDisadvantagedArea: true },
  { name: 'Ấp Đông Chiêu', kind: 'ap', code: 'ADC' },
  { name: 'Khu phố Tân Long', kind: 'khu_pho', code: 'KP12' },
];

export const STREETS = [
  'đường Nguyễn An Ninh', 'đường Trần Hưng Đạo', 'đường Lý Thường Kiệt', 'đường Cô Bắc', 'đường Cô Giang', 'đường Số 9',
  'đường Lê Hồng Phong', 'đường Nguyễn Trãi', 'đường Trần Quốc Toản', 'đường Đông Minh', 'đường Truông Tre',
  'đường Nguyễn Thị Minh Khai', 'đường Bà Giang', 'đường Hai Bà Trưng', 'đường Lý Tự Trọng', 'đường Nguyễn Du',
  'đường Mỹ Phước – Tân Vạn', 'đường Nguyễn Văn Tiết', 'đường Ngô Thì Nhậm', 'đường Thống Nhất',
] as const;
export const PHONE_PREFIXES = ['090', '091', '093', '094', '096', '097', '098', '032', '033', '034', '035', '036', '037', '038', '039', '070', '076', '077', '078', '079', '081', '083', '084', '085', '086', '088', '089'] as const;
export const HOUSEHOLD_NOTES = ['Hộ cận nghèo', 'Gia đình chính sách', 'Hộ tạm trú, làm công nhân khu công nghiệp', 'Có người khuyết tật', 'Hộ nghèo năm trước, đã thoát nghèo'] as const;
export const ETHNICITIES: readonly (readonly [string, number])[] = [
  ['Kinh', 92],
  ['Hoa', 4],
  ['Khmer', 2],
  ['Tày', 1],
  ['Chăm', 1],
];

// ---------------------------------------------------------------------------------------------
// Options and output
// ---------------------------------------------------------------------------------------------

/** Units (đơn vị) on a ward's territory, with the usual size of their staff. */
export const UNITS: readonly (Pick<UnitInput, 'name' | 'kind'> & { readonly members: readonly [number, number] })[] = [
  { name: 'Trường Tiểu học Nguyễn Trãi', kind: 'truong_hoc', members: [35, 70] },
  { name: 'Công ty TNHH May mặc Phú Thịnh', kind: 'doanh_nghiep', members: [120, 600] },
  { name: 'Trạm Y tế', kind: 'co_quan', members: [8, 20] },
  { name: 'Trường Mầm non Hoa Sen', kind: 'truong_hoc', members: [20, 45] },
  { name: 'Hợp tác xã Nông nghiệp Tân Hòa', kind: 'hop_tac_xa', members: [8, 40] },
  { name: 'Trường THCS Lê Quý Đôn', kind: 'truong_hoc', members: [40, 90] },
  { name: 'Cơ sở mộc Thành Đạt', kind: 'co_so_san_xuat', members: [4, 18] },
  { name: 'Công ty Cổ phần Cơ khí Tân Long', kind: 'doanh_nghiep', members: [60, 300] },
  { name: 'Bưu điện văn hóa', kind: 'co_quan', members: [3, 8] },
  { name: 'Cơ sở bánh tráng Hai Thoa', kind: 'co_so_san_xuat', members: [3, 12] },
  { name: 'Trung tâm Văn hóa – Thể thao', kind: 'co_quan', members: [6, 15] },
  { name: 'Hợp tác xã Rau sạch Đông Chiêu', kind: 'hop_tac_xa', members: [10, 30] },
  { name: 'Công ty TNHH Thực phẩm An Bình', kind: 'doanh_nghiep', members: [40, 250] },
  { name: 'Thư viện cộng đồng', kind: 'khac', members: [2, 6] },
];
