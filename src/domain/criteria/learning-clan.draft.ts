import type { CriteriaSet } from './criteria-set';

/** Placeholder until the clan criteria are read; the target is data, not a rule found in a text. */
const LEARNING_FAMILY_SHARE_DRAFT = 0.5;

/**
 * Dòng họ học tập (criteria.md §2.3, §7.2): neither the 448 text nor its July 2022 successor was
 * retrieved. Clan-level checks plus two values computed from the member households.
 */
export const LEARNING_CLAN_DRAFT: CriteriaSet = {
  id: 'learning-clan.draft',
  version: 1,
  title: 'learning_clan',
  name: 'Tiêu chí "Dòng họ học tập" (bản nháp, chờ đối chiếu văn bản)',
  legalBasis: {
    documentNumber: '448/QĐ-KHVN',
    date: '2015-12-01',
    issuer: 'Hội Khuyến học Việt Nam',
    note: 'Chưa đọc được phần tiêu chí "Dòng họ học tập" của QĐ 448. Tháng 7/2022 Hội Khuyến học Việt Nam ban hành tiêu chí "Dòng họ học tập" mới (có lẽ 7 chỉ số) nhưng chưa tìm được số hiệu và nội dung.',
  },
  relatedDocuments: [
    {
      documentNumber: '387/QĐ-TTg',
      date: '2022-03-25',
      issuer: 'Thủ tướng Chính phủ',
      note: 'Chỉ tiêu năm 2025: 65% dòng họ đạt "Dòng họ học tập"; giao Hội Khuyến học Việt Nam ban hành bộ tiêu chí mới.',
    },
  ],
  effectiveFromYear: 2016,
  effectiveToYear: null,
  verification: 'draft',
  verificationNote:
    'Bản nháp dựng từ mô tả chung: dòng họ có Ban khuyến học, Quỹ khuyến học, quy ước khuyến học, con cháu không bỏ học và một tỷ lệ gia đình đạt "Gia đình học tập". Chưa có văn bản gốc; tỷ lệ 50% là mức tạm, không phải quy định.',
  groups: [
    {
      id: 'tc1',
      label: 'Tổ chức và điều kiện khuyến học của dòng họ',
      criteria: [
        { id: 'tc1.board', kind: 'check', label: 'Dòng họ có Ban khuyến học hoạt động thường xuyên', confidence: 'U' },
        { id: 'tc1.fund', kind: 'check', label: 'Dòng họ có Quỹ khuyến học', confidence: 'U' },
        {
          id: 'tc1.covenant',
          kind: 'check',
          label: 'Dòng họ có hương ước hoặc quy ước về khuyến học, khuyến tài',
          confidence: 'U',
        },
      ],
    },
    {
      id: 'tc2',
      label: 'Học tập của các gia đình trong dòng họ',
      criteria: [
        {
          id: 'tc2.families',
          kind: 'derived',
          input: 'memberHouseholdsLearningFamilyShare',
          comparator: 'gte',
          target: LEARNING_FAMILY_SHARE_DRAFT,
          label: 'Tỷ lệ hộ thành viên được công nhận "Gia đình học tập" trong năm đạt mức yêu cầu',
          hint: 'Mức 50% là tạm tính: chỉ là mục tiêu của một buổi tọa đàm cấp xã năm 2013, không phải quy định của QĐ 448.',
          confidence: 'U',
        },
        {
          id: 'tc2.no-dropout',
          kind: 'derived',
          input: 'memberHouseholdsNoDropout',
          comparator: 'eq',
          target: true,
          label: 'Con cháu trong các hộ thành viên không có ai bỏ học (tính từ sổ theo dõi)',
          confidence: 'U',
        },
      ],
    },
    {
      id: 'tc3',
      label: 'Chấp hành pháp luật',
      criteria: [
        {
          id: 'tc3.law',
          kind: 'disqualifier',
          label: 'Không có thành viên dòng họ mắc tệ nạn xã hội hoặc vi phạm pháp luật',
          hint: 'Không đạt nội dung này thì dòng họ không được công nhận.',
          confidence: 'U',
        },
      ],
    },
  ],
  rules: { passMarkConfirmed: false },
};
