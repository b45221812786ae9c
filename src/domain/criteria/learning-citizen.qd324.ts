import type { CriteriaSet, Criterion } from './criteria-set';

const HKHVN = 'Hội Khuyến học Việt Nam';

/** Every chỉ số is scored 0–10; the 10 items give the 100-point total. */
function indicator(id: string, label: string): Criterion {
  return { id, kind: 'points', maxPoints: 10, label, confidence: 'P' };
}

/**
 * Công dân học tập (criteria.md §2.1). Structure and pass rule from several independent reports;
 * indicator wording is the 2020 draft, the official text is worded per target group.
 */
export const LEARNING_CITIZEN_QD324: CriteriaSet = {
  id: 'learning-citizen.qd324',
  version: 1,
  title: 'learning_citizen',
  name: 'Bộ tiêu chí đánh giá, công nhận "Công dân học tập" giai đoạn 2021–2030',
  legalBasis: {
    documentNumber: '324/QĐ-KHVN',
    date: null,
    issuer: HKHVN,
    note: 'Chưa tìm được ngày ban hành; văn bản được Thông tư 24/2023/TT-BGDĐT (11/12/2023) dẫn chiếu nên ban hành trước ngày đó. Kế tiếp QĐ 244/QĐ-KHVN ngày 28/7/2022.',
  },
  relatedDocuments: [
    {
      documentNumber: '244/QĐ-KHVN',
      date: '2022-07-28',
      issuer: HKHVN,
      note: 'Bộ tiêu chí "Công dân học tập" đầu tiên; các bản tin cho biết QĐ 324 giữ cấu trúc 3 tiêu chí, 10 chỉ số.',
    },
    {
      documentNumber: '677/QĐ-TTg',
      date: '2022-06-03',
      issuer: 'Thủ tướng Chính phủ',
      note: 'Chương trình "Xây dựng mô hình Công dân học tập giai đoạn 2021–2030" (chỉ tiêu, không có tiêu chí).',
    },
  ],
  effectiveFromYear: 2023,
  effectiveToYear: null,
  verification: 'partial',
  verificationNote:
    'Chưa có toàn văn QĐ 324/QĐ-KHVN và các phụ lục. Cấu trúc (3 tiêu chí, 10 chỉ số, mỗi chỉ số 0–10 điểm) và mức đạt (từ 80/100 điểm, không chỉ số nào dưới 5 điểm; từ 70 điểm ở vùng sâu, vùng xa, vùng đặc biệt khó khăn, vùng đồng bào dân tộc thiểu số) lấy từ nhiều bản tin độc lập. Nội dung chỉ số là bản dự thảo năm 2020 (GS.TS Phạm Tất Dong); văn bản chính thức viết riêng cho từng nhóm đối tượng. Năm hiệu lực 2023 là ước đoán: đánh giá năm 2022 theo QĐ 244/QĐ-KHVN.',
  groups: [
    {
      id: 'tc1',
      label: 'Năng lực tự học và học tập suốt đời',
      maxPoints: 40,
      criteria: [
        indicator('cs01', 'Đọc, cập nhật thông tin và tri thức trên sách báo, tivi, máy tính, điện thoại di động…'),
        indicator(
          'cs02',
          'Xây dựng kế hoạch học tập theo các chương trình phục vụ yêu cầu công việc hoặc do nhà nước, cơ quan hay đoàn thể quy định',
        ),
        indicator(
          'cs03',
          'Sắp xếp hợp lý công việc để có thời gian tham gia các hoạt động tại nhà văn hóa, câu lạc bộ, thư viện…, hội thảo, hội nghị',
        ),
        indicator('cs04', 'Động viên, tạo điều kiện cho người thân trong gia đình và đồng nghiệp học tập thường xuyên'),
      ],
    },
    {
      id: 'tc2',
      label: 'Năng lực sử dụng các công cụ học tập, làm việc',
      maxPoints: 40,
      criteria: [
        indicator('cs05', 'Sử dụng công nghệ thông tin đáp ứng yêu cầu công việc'),
        indicator('cs06', 'Sử dụng ngoại ngữ theo yêu cầu công việc, vị trí đảm nhận'),
        indicator('cs07', 'Kỹ năng tính toán để công việc được sáng tạo, cải tiến, năng suất lao động ngày càng cao'),
        indicator(
          'cs08',
          'Tư duy biện chứng và tư duy phản biện trong công việc, sản xuất, kinh doanh, dịch vụ… và hoạt động xã hội',
        ),
      ],
    },
    {
      id: 'tc3',
      label: 'Năng lực xây dựng và thực hiện các mối quan hệ xã hội',
      maxPoints: 20,
      criteria: [
        indicator('cs09', 'Tạo các mối quan hệ thân thiện với mọi người, điều hòa các quan hệ để tránh xung đột'),
        indicator('cs10', 'Hợp tác, chia sẻ trong lao động, hoạt động xã hội với đồng nghiệp, cộng đồng'),
      ],
    },
  ],
  rules: {
    passMark: 80,
    passMarkByArea: { disadvantaged: 70 },
    minPointsPerItem: 5,
    maxPoints: 100,
    passMarkConfirmed: true,
  },
};
