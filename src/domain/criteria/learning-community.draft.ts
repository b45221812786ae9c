import type { CriteriaSet } from './criteria-set';

/** Placeholders taken from the QĐ 387/QĐ-TTg 2025 national targets; not recognition rules. */
const LEARNING_FAMILY_SHARE_DRAFT = 0.7;
const LEARNING_CLAN_SHARE_DRAFT = 0.65;

/**
 * Cộng đồng học tập cấp thôn / tổ dân phố (criteria.md §2.4): 448 text not retrieved. Village-level
 * checks plus the GĐHT and DHHT rates of the village, computed from the register.
 */
export const LEARNING_COMMUNITY_DRAFT: CriteriaSet = {
  id: 'learning-community.draft',
  version: 1,
  title: 'learning_community',
  name: 'Tiêu chí "Cộng đồng học tập" cấp thôn, tổ dân phố (bản nháp, chờ đối chiếu văn bản)',
  legalBasis: {
    documentNumber: '448/QĐ-KHVN',
    date: '2015-12-01',
    issuer: 'Hội Khuyến học Việt Nam',
    note: 'Chưa đọc được phần tiêu chí "Cộng đồng học tập" cấp thôn/bản/ấp/tổ dân phố của QĐ 448; bộ tiêu chí kế tiếp chưa tìm được. Thông tư 25/2023/TT-BGDĐT chỉ quy định từ cấp xã trở lên.',
  },
  relatedDocuments: [
    {
      documentNumber: '387/QĐ-TTg',
      date: '2022-03-25',
      issuer: 'Thủ tướng Chính phủ',
      note: 'Chỉ tiêu năm 2025: 70% gia đình đạt "Gia đình học tập", 65% dòng họ đạt "Dòng họ học tập", 65% thôn, tổ dân phố đạt "Cộng đồng học tập".',
    },
  ],
  effectiveFromYear: 2016,
  effectiveToYear: null,
  verification: 'draft',
  verificationNote:
    'Bản nháp dựng từ mô tả chung: thôn có chi hội hoặc ban khuyến học, quỹ khuyến học, hoạt động học tập ở nhà văn hóa hoặc trung tâm học tập cộng đồng, tỷ lệ gia đình và dòng họ học tập. Chưa có văn bản gốc; các tỷ lệ 70% và 65% mượn từ chỉ tiêu toàn quốc của QĐ 387/QĐ-TTg, không phải mức công nhận.',
  groups: [
    {
      id: 'tc1',
      label: 'Tổ chức và hoạt động khuyến học của thôn',
      criteria: [
        {
          id: 'tc1.board',
          kind: 'check',
          label: 'Thôn có chi hội khuyến học hoặc ban khuyến học hoạt động thường xuyên',
          confidence: 'U',
        },
        { id: 'tc1.fund', kind: 'check', label: 'Thôn có quỹ khuyến học', confidence: 'U' },
        {
          id: 'tc1.activities',
          kind: 'check',
          label: 'Có hoạt động học tập thường xuyên tại nhà văn hóa hoặc trung tâm học tập cộng đồng',
          confidence: 'U',
        },
        {
          id: 'tc1.culture',
          kind: 'check',
          label: 'Thôn, tổ dân phố được công nhận danh hiệu văn hóa trong năm',
          confidence: 'U',
        },
      ],
    },
    {
      id: 'tc2',
      label: 'Kết quả xây dựng các mô hình học tập trong thôn',
      criteria: [
        {
          id: 'tc2.families',
          kind: 'derived',
          input: 'villageHouseholdsLearningFamilyShare',
          comparator: 'gte',
          target: LEARNING_FAMILY_SHARE_DRAFT,
          label: 'Tỷ lệ hộ gia đình của thôn được công nhận "Gia đình học tập" trong năm đạt mức yêu cầu',
          hint: 'Mức 70% là tạm tính, mượn từ chỉ tiêu toàn quốc năm 2025 của QĐ 387/QĐ-TTg.',
          confidence: 'U',
        },
        {
          id: 'tc2.clans',
          kind: 'derived',
          input: 'villageClansLearningClanShare',
          comparator: 'gte',
          target: LEARNING_CLAN_SHARE_DRAFT,
          label: 'Tỷ lệ dòng họ trong thôn được công nhận "Dòng họ học tập" trong năm đạt mức yêu cầu',
          hint: 'Mức 65% là tạm tính, mượn từ chỉ tiêu toàn quốc năm 2025 của QĐ 387/QĐ-TTg. Thôn không có dòng họ nào được ghi nhận thì không áp dụng.',
          confidence: 'U',
          allowNotApplicable: true,
        },
      ],
    },
  ],
  rules: { passMarkConfirmed: false },
};
