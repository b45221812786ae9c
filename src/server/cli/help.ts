/** `npm run admin -- help`: every command, in the words of the commune office. */
export const HELP_TEXT = `Sổ Khuyến học – công cụ quản trị máy chủ xã

Cách dùng: npm run admin -- <lệnh> [tùy chọn] [--json]

Lệnh:
  enrollment-code --commune <mã xã> [--villages <thôn,…>] [--expires 7d] [--server-url <địa chỉ>]
      Tạo mã đăng ký thiết bị (dùng một lần) cho một thiết bị mới, in kèm mã QR để quét bằng điện thoại.
      --villages: giới hạn thiết bị trong các thôn/khu phố (mã UUID, mã thôn hoặc tên thôn,
      cách nhau bởi dấu phẩy); bỏ trống là cả xã. --expires: hiệu lực, ví dụ 7d, 12h, 30m
      (mặc định 7d). --server-url: địa chỉ máy chủ in trong mã QR.

  devices [--commune <mã xã>] [--revoke <mã thiết bị>]
      Liệt kê thiết bị đã kết nối (mọi xã, hoặc một xã). --revoke thu hồi một thiết bị:
      thiết bị đó không đồng bộ được nữa, dữ liệu đã gửi vẫn giữ nguyên.

  seed --commune <mã xã> --households <số hộ> [--seed <số>] [--year <năm>]
      Tạo dữ liệu mẫu (thôn, hộ và nhân khẩu, dòng họ, đơn vị, đánh giá các danh hiệu trong
      3 năm) qua đúng đường kiểm tra như khi thiết bị gửi lên. Cùng --seed thì cùng dữ liệu;
      chạy lại không thay đổi gì.

  import <tệp.json>
      Nhập tệp "dữ liệu chưa gửi" mà thiết bị đã xuất khi không có mạng. Nhập lại lần nữa
      không thay đổi gì. Tệp của một thiết bị đã đăng ký với máy chủ này phải mang chữ ký của
      chính thiết bị đó (ứng dụng tự ký khi xuất); tệp thiếu chữ ký hoặc đã bị sửa bị từ chối.

  help
      In hướng dẫn này.

Tùy chọn chung:
  --json   In đúng một đối tượng JSON ra stdout (cho script); lỗi: { "error": { "code", "message" } }.

Lệnh chạy được cả khi máy chủ đang chạy (qua kênh quản trị nội bộ của máy chủ) lẫn khi máy chủ
đã tắt (công cụ tự mở dữ liệu trong DATA_DIR). Với DATABASE_URL, công cụ nối thẳng PostgreSQL.
Mã thoát: 0 thành công, 1 lỗi, 2 sai cách dùng.
`;
