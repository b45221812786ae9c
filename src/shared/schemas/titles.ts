/** The learning titles (danh hiệu). Plain data, no Zod: the app's start-up code reads it (routes). */
export const TITLES = [
  'learning_family', // Gia đình học tập (GĐHT)
  'learning_clan', // Dòng họ học tập (DHHT)
  'learning_citizen', // Công dân học tập (CDHT)
  'learning_community', // Cộng đồng học tập cấp thôn (CĐHT-thôn)
  'learning_unit', // Đơn vị học tập cấp xã (ĐVHT)
] as const;
export type Title = (typeof TITLES)[number];
