import type { CriteriaSet } from './criteria-set';

/** Placeholder from the QĐ 387/QĐ-TTg 2025 target (60% of a commune unit's staff hold CDHT). */
const LEARNING_CITIZEN_SHARE_DRAFT = 0.6;

/**
 * Đơn vị học tập "ở cơ sở thuộc xã quản lý" (criteria.md §2.5a): 448 text not retrieved. Checks
 * adapted from TT 24/2023 mức độ 1 (written for district units) to commune-managed units.
 */
export const LEARNING_UNIT_DRAFT: CriteriaSet = {
  id: 'learning-unit.draft',
  version: 1,
  title: 'learning_unit',
  name: 'Tiêu chí "Đơn vị học tập" ở cơ sở thuộc xã quản lý (bản nháp, chờ đối chiếu văn bản)',
  legalBasis: {
    documentNumber: '448/QĐ-KHVN',
    date: '2015-12-01',
    issuer: 'Hội Khuyến học Việt Nam',
    note: 'Chưa đọc được phần tiêu chí "Đơn vị học tập" ở cơ sở thuộc xã quản lý của QĐ 448; bộ tiêu chí kế tiếp chưa tìm được.',
  },
  relatedDocuments: [
    {
      documentNumber: '24/2023/TT-BGDĐT',
      date: '2023-12-11',
      issuer: 'Bộ Giáo dục và Đào tạo',
      note: 'Đánh giá, công nhận "Đơn vị học tập" cấp huyện, cấp tỉnh; các nội dung dưới đây phỏng theo mức độ 1 (Điều 6), đọc qua bản tóm tắt tiếng Anh.',
    },
    {
      documentNumber: '387/QĐ-TTg',
      date: '2022-03-25',
      issuer: 'Thủ tướng Chính phủ',
      note: 'Chỉ tiêu năm 2025: 80% tổ chức, cơ quan, trường học, doanh nghiệp, cơ sở sản xuất trên địa bàn cấp xã đạt "Đơn vị học tập"; 60% cán bộ, công chức, nhân viên trong các đơn vị này đạt "Công dân học tập".',
    },
  ],
  effectiveFromYear: 2016,
  effectiveToYear: null,
  verification: 'draft',
  verificationNote:
    'Bản nháp: chưa có văn bản tiêu chí cho đơn vị thuộc xã quản lý. Nội dung phỏng theo mức độ 1 của Thông tư 24/2023/TT-BGDĐT (viết cho đơn vị cấp huyện, đọc qua bản tóm tắt); tỷ lệ 60% thành viên đạt "Công dân học tập" mượn từ chỉ tiêu của QĐ 387/QĐ-TTg.',
  groups: [
    {
      id: 'tc1',
      label: 'Điều kiện xây dựng "Đơn vị học tập"',
      criteria: [
        {
          id: 'tc1.plan',
          kind: 'check',
          label: 'Đơn vị ban hành kế hoạch hằng năm để thành viên học tập thường xuyên, tổ chức thực hiện kế hoạch',
          confidence: 'U',
        },
        {
          id: 'tc1.rules',
          kind: 'check',
          label:
            'Thực hiện đầy đủ chế độ đào tạo, bồi dưỡng; có quy định khuyến khích, động viên thành viên tích cực học tập',
          confidence: 'U',
        },
        {
          id: 'tc1.budget',
          kind: 'check',
          label: 'Bố trí đủ kinh phí hằng năm để đào tạo, bồi dưỡng thành viên',
          hint: 'Áp dụng cho cơ quan nhà nước, đơn vị sự nghiệp công lập; đơn vị khác chọn "Không áp dụng".',
          confidence: 'U',
          allowNotApplicable: true,
        },
        {
          id: 'tc1.digital',
          kind: 'check',
          label: 'Khi chuyển đổi số, thành viên được trang bị công cụ, phương tiện phục vụ học tập và làm việc',
          hint: 'Đơn vị chưa triển khai chuyển đổi số chọn "Không áp dụng".',
          confidence: 'U',
          allowNotApplicable: true,
        },
        {
          id: 'tc1.community',
          kind: 'check',
          label: 'Đơn vị tham gia các hoạt động phục vụ học tập suốt đời của người dân',
          confidence: 'U',
        },
      ],
    },
    {
      id: 'tc2',
      label: 'Kết quả học tập của thành viên',
      criteria: [
        {
          id: 'tc2.discipline',
          kind: 'check',
          label: 'Từ 90% thành viên trở lên chấp hành kỷ luật lao động, nội quy của đơn vị; đoàn kết, hợp tác, chia sẻ',
          confidence: 'U',
        },
        {
          id: 'tc2.training',
          kind: 'check',
          label: 'Từ 90% thành viên trở lên hoàn thành đầy đủ các chương trình học tập, bồi dưỡng bắt buộc',
          confidence: 'U',
        },
      ],
    },
    {
      id: 'tc3',
      label: 'Tác dụng của việc xây dựng "Đơn vị học tập"',
      criteria: [
        {
          id: 'tc3.citizens',
          kind: 'derived',
          input: 'membersLearningCitizenShare',
          comparator: 'gte',
          target: LEARNING_CITIZEN_SHARE_DRAFT,
          label: 'Tỷ lệ thành viên của đơn vị đạt "Công dân học tập" đạt mức yêu cầu',
          hint: 'Mức 60% là tạm tính theo chỉ tiêu QĐ 387/QĐ-TTg; Thông tư 24/2023 đòi từ 90% với đơn vị cấp tỉnh.',
          confidence: 'U',
        },
        {
          id: 'tc3.sharing',
          kind: 'check',
          label: 'Đơn vị tạo được môi trường học tập, chia sẻ tri thức giữa các thành viên',
          confidence: 'U',
        },
      ],
    },
  ],
  rules: { passMarkConfirmed: false },
};
