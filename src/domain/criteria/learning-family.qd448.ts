import type { CriteriaSet } from './criteria-set';

const HKHVN = 'Hội Khuyến học Việt Nam';
const SPLIT_HINT =
  'QĐ 448 cho tiêu chí 3 và 4 tổng cộng 40 điểm nhưng chưa đọc được cách chia; tạm chia 20 + 20, mỗi nội dung 10 điểm, nội dung lấy theo bản diễn giải.';

/**
 * Gia đình học tập, QĐ 448 (criteria.md §7.1 corrects §2.2: a 100-point table). Groups 1–2 were
 * read in a provincial copy cut off after group 2; groups 3–4 and the pass mark were not.
 */
export const LEARNING_FAMILY_QD448: CriteriaSet = {
  id: 'learning-family.qd448',
  version: 1,
  title: 'learning_family',
  name: 'Bộ tiêu chí đánh giá, công nhận danh hiệu "Gia đình học tập" (QĐ 448/QĐ-KHVN)',
  legalBasis: {
    documentNumber: '448/QĐ-KHVN',
    date: '2015-12-01',
    issuer: HKHVN,
    note: 'Bộ tiêu chí và Hướng dẫn đánh giá, công nhận các danh hiệu "Gia đình học tập", "Dòng họ học tập", "Cộng đồng học tập" cấp thôn/bản/ấp/tổ dân phố, "Đơn vị học tập" ở cơ sở thuộc xã quản lý giai đoạn 2016–2020 (còn dẫn là 448/QĐ-HKH). Một bản sao ghi ngày 10/11/2015.',
  },
  relatedDocuments: [
    {
      documentNumber: '6782/BGDĐT-GDTX',
      date: '2015-12-29',
      issuer: 'Bộ Giáo dục và Đào tạo',
      note: 'Tổ chức đánh giá theo bộ tiêu chí của Hội Khuyến học Việt Nam; báo cáo hằng năm trước ngày 15/12.',
    },
    {
      documentNumber: '387/QĐ-TTg',
      date: '2022-03-25',
      issuer: 'Thủ tướng Chính phủ',
      note: 'Giao Hội Khuyến học Việt Nam sửa đổi, ban hành bộ tiêu chí mới cho giai đoạn 2021–2030; chưa tìm được bộ tiêu chí kế tiếp.',
    },
    {
      documentNumber: '86/2023/NĐ-CP',
      date: '2023-12-07',
      issuer: 'Chính phủ',
      note: 'Danh hiệu "Gia đình văn hóa", dùng ở tiêu chí 4.',
    },
  ],
  effectiveFromYear: 2016,
  effectiveToYear: null,
  verification: 'partial',
  verificationNote:
    'QĐ 448 ban hành cho giai đoạn 2016–2020; bộ tiêu chí thay thế chưa tìm được nên tạm áp dụng tiếp. Đã đọc tiêu chí 1, hai nội dung đầu của tiêu chí 2 (nội dung 2 bị cắt) trong bản sao của Hội Khuyến học tỉnh Yên Bái. Chưa đọc được nội dung 3 của tiêu chí 2, chi tiết tiêu chí 3, 4 (tổng 40 điểm) và mức điểm đạt. Mức đạt 80/100 điểm là mức tạm tính.',
  groups: [
    {
      id: 'tc1',
      label: 'Học tập của trẻ em trong gia đình',
      maxPoints: 30,
      criteria: [
        {
          id: 'tc1.1',
          kind: 'points',
          maxPoints: 10,
          label:
            'Trẻ em trong độ tuổi phổ cập giáo dục đều được đi học và hoàn thành phổ cập giáo dục (trừ trường hợp ốm đau, khuyết tật, không có khả năng học tập)',
          hint: 'Gia đình không có trẻ em trong độ tuổi đi học: chọn "Không áp dụng".',
          confidence: 'V',
          allowNotApplicable: true,
        },
        {
          id: 'tc1.2',
          kind: 'points',
          maxPoints: 10,
          label: 'Kết quả học tập từ trung bình trở lên (tiểu học: đạt yêu cầu), hạnh kiểm từ khá trở lên',
          confidence: 'V',
          allowNotApplicable: true,
        },
        {
          id: 'tc1.3',
          kind: 'points',
          maxPoints: 10,
          label: 'Trung thực, lễ phép, tham gia các hoạt động ở địa phương',
          confidence: 'V',
          allowNotApplicable: true,
        },
        {
          id: 'tc1.school',
          kind: 'derived',
          input: 'schoolAgeChildrenAllInSchool',
          comparator: 'eq',
          target: true,
          label:
            'Mọi trẻ em trong độ tuổi đi học của gia đình đều đang đi học, không có trẻ bỏ học (tính từ sổ theo dõi)',
          hint: 'Có trẻ bỏ học thì gia đình không đạt. Độ tuổi đi học tạm tính 6–17 tuổi; văn bản không nêu con số.',
          confidence: 'P',
          allowNotApplicable: true,
        },
      ],
    },
    {
      id: 'tc2',
      label: 'Học tập của người lớn trong gia đình',
      maxPoints: 30,
      criteria: [
        {
          id: 'tc2.1',
          kind: 'points',
          maxPoints: 10,
          label: 'Người lớn từ 19 đến 60 tuổi (trừ người không có khả năng học tập) đều biết chữ từ mức độ 1 trở lên',
          hint: 'Biết chữ mức độ 1 tương đương hoàn thành lớp 3.',
          confidence: 'V',
        },
        {
          id: 'tc2.2',
          kind: 'points',
          maxPoints: 10,
          label: 'Hằng năm, mỗi người lớn tham gia học tập ít nhất một nội dung',
          hint: 'Bản sao văn bản bị cắt sau cụm từ này; phần còn lại chưa đọc được.',
          confidence: 'P',
        },
        {
          id: 'tc2.3',
          kind: 'points',
          maxPoints: 10,
          label:
            'Nội dung thứ ba của tiêu chí 2 (chưa đọc được văn bản gốc): người lớn tích cực tham gia phong trào khuyến học, khuyến tài, xây dựng xã hội học tập và các hoạt động ở địa phương',
          hint: 'Nội dung tạm lấy theo bản diễn giải của QĐ 448 cho đến khi đối chiếu được văn bản gốc.',
          confidence: 'U',
        },
      ],
    },
    {
      id: 'tc3',
      label: 'Điều kiện học tập của gia đình',
      maxPoints: 20,
      criteria: [
        {
          id: 'tc3.1',
          kind: 'points',
          maxPoints: 10,
          label:
            'Gia đình quan tâm, động viên, tạo điều kiện cho con em học tập và người lớn học tập suốt đời; có quỹ khuyến học của gia đình',
          hint: SPLIT_HINT,
          confidence: 'U',
        },
        {
          id: 'tc3.2',
          kind: 'points',
          maxPoints: 10,
          label:
            'Gia đình có sách, báo hoặc tủ sách, góc học tập và phương tiện phục vụ học tập (đài, tivi, máy tính, internet…)',
          hint: `${SPLIT_HINT} Bản diễn giải ghi nội dung này "không bắt buộc".`,
          confidence: 'U',
        },
      ],
    },
    {
      id: 'tc4',
      label: 'Tác động, hiệu quả học tập',
      maxPoints: 20,
      criteria: [
        {
          id: 'tc4.1',
          kind: 'points',
          maxPoints: 10,
          label: 'Gia đình lao động có hiệu quả, làm giàu chính đáng; đời sống kinh tế ổn định và từng bước phát triển',
          hint: SPLIT_HINT,
          confidence: 'U',
        },
        {
          id: 'tc4.2',
          kind: 'points',
          maxPoints: 10,
          label:
            'Các thành viên tích cực xây dựng đời sống văn hóa ở khu dân cư; gia đình đạt danh hiệu "Gia đình văn hóa"',
          hint: SPLIT_HINT,
          confidence: 'U',
        },
        {
          id: 'tc4.law',
          kind: 'disqualifier',
          label: 'Không có thành viên nào trong gia đình mắc tệ nạn xã hội hoặc vi phạm pháp luật',
          hint: 'Không đạt nội dung này thì gia đình không được công nhận, dù tổng điểm cao. Bản diễn giải ghi ý này ở tiêu chí 1 (con em có đạo đức tốt, không mắc tệ nạn xã hội, không vi phạm pháp luật).',
          confidence: 'P',
        },
      ],
    },
  ],
  rules: {
    passMark: 80,
    maxPoints: 100,
    passMarkConfirmed: false,
  },
};
