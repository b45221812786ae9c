import { describe, expect, it, vi } from 'vitest';
import { createSwUpdates, type RegisterSw } from './sw-updates';

function fakePage() {
  const container = new EventTarget();
  const onlineEvents = new EventTarget();
  const reload = vi.fn();
  return { page: { container, onlineEvents, reload }, container, onlineEvents, reload };
}

function fakeRegister() {
  const update = vi.fn(async () => undefined);
  const registration = { update: vi.fn(async () => undefined) };
  let options: Parameters<RegisterSw>[0] = {};
  const registerSw: RegisterSw = (given) => {
    options = given;
    return update;
  };
  return { registerSw, update, registration, options: () => options };
}

describe('service worker updates', () => {
  it('reloads the page once the new worker takes control, even in the session that installed the app', async () => {
    const { page, container, reload } = fakePage();
    const sw = fakeRegister();
    const updates = createSwUpdates(sw.registerSw, page);
    sw.options().onNeedRefresh?.();
    expect(updates.getSnapshot().needRefresh).toBe(true);

    await updates.applyUpdate();
    expect(sw.update).toHaveBeenCalledWith(true);
    expect(reload).not.toHaveBeenCalled();
    container.dispatchEvent(new Event('controllerchange'));
    container.dispatchEvent(new Event('controllerchange'));
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('does not reload when a worker takes control without the user asking for the update', () => {
    const { page, container, reload } = fakePage();
    createSwUpdates(fakeRegister().registerSw, page);
    container.dispatchEvent(new Event('controllerchange'));
    expect(reload).not.toHaveBeenCalled();
  });

  it('looks for a new version each time the phone comes back online', () => {
    const { page, onlineEvents } = fakePage();
    const sw = fakeRegister();
    createSwUpdates(sw.registerSw, page);
    sw.options().onRegisteredSW?.('/sw.js', sw.registration);
    expect(sw.registration.update).not.toHaveBeenCalled();
    onlineEvents.dispatchEvent(new Event('online'));
    onlineEvents.dispatchEvent(new Event('online'));
    expect(sw.registration.update).toHaveBeenCalledTimes(2);
  });
});
