import type { Locator, Page } from 'playwright-core';

/** First run: pick the device's commune. */
export class SetupPage {
  constructor(readonly page: Page) {}

  async chooseCommune(province: string, query: string, commune: RegExp) {
    await this.page.getByRole('heading', { level: 1, name: 'Chọn xã của thiết bị' }).waitFor();
    await this.page.getByLabel('Tỉnh, thành phố').selectOption({ label: province });
    await this.page.getByLabel('Tên xã, phường hoặc mã xã').fill(query);
    await this.page.getByRole('button', { name: commune }).click();
    await this.page.getByRole('button', { name: 'Dùng xã này' }).click();
    await this.page.getByRole('heading', { level: 1, name: 'Trang chủ' }).waitFor();
  }
}

export class VillagesPage {
  constructor(readonly page: Page) {}

  async addVillage(name: string) {
    await this.page.getByLabel('Tên thôn, tổ dân phố').fill(name);
    await this.page.getByRole('button', { name: 'Thêm thôn' }).click();
    await this.page.getByRole('link', { name: new RegExp(`^${name}`) }).waitFor();
  }

  async openVillage(name: string) {
    await this.page.getByRole('link', { name: new RegExp(`^${name}`) }).click();
    await this.page.getByRole('heading', { level: 1, name }).waitFor();
  }
}

export interface MemberInput {
  name: string;
  sex: 'Nam' | 'Nữ';
  birthYear: string;
  relation?: string;
  schooling?: string;
  cdhtGroup?: string;
}

export class HouseholdFormPage {
  constructor(readonly page: Page) {}

  member(index: number): Locator {
    return this.page.getByRole('group', { name: `Thành viên ${index + 1}` });
  }

  async fillMember(index: number, m: MemberInput) {
    if (index > 0) await this.page.getByRole('button', { name: '+ Thêm thành viên' }).click();
    const card = this.member(index);
    await card.getByLabel('Họ và tên').fill(m.name);
    await card.getByLabel('Giới tính').selectOption({ label: m.sex });
    await card.getByLabel('Năm sinh').fill(m.birthYear);
    if (m.relation) await card.getByLabel('Quan hệ với chủ hộ').selectOption({ label: m.relation });
    if (m.schooling) await card.getByLabel('Việc học (trẻ trong độ tuổi đi học)').selectOption({ label: m.schooling });
    if (m.cdhtGroup) await card.getByLabel('Nhóm Công dân học tập').selectOption({ label: m.cdhtGroup });
  }

  async save(expectedHead: string) {
    await this.page.getByRole('button', { name: 'Lưu hộ' }).click();
    await this.page.getByRole('heading', { level: 1, name: `Hộ ${expectedHead}` }).waitFor();
  }
}

export class AssessmentPage {
  constructor(readonly page: Page) {}

  pointsInputs(): Locator {
    return this.page.getByRole('textbox', { name: /Điểm$/ });
  }

  /** Types the given points into every scored criterion, in screen order. */
  async scoreAll(points: readonly number[]) {
    const inputs = this.pointsInputs();
    const count = await inputs.count();
    for (let i = 0; i < count; i += 1) await inputs.nth(i).fill(String(points[i] ?? points[points.length - 1]));
  }

  async choose(criterionLabel: RegExp, value: 'Đạt' | 'Không đạt') {
    await this.page.getByRole('radiogroup', { name: criterionLabel }).getByText(value, { exact: true }).click();
  }

  scorePanel(): Locator {
    return this.page.getByRole('region', { name: 'Kết quả' });
  }

  async save() {
    await this.page.getByRole('button', { name: 'Lưu đánh giá' }).click();
    await this.page.getByText('Đã lưu đánh giá trên máy.').waitFor();
  }
}
