import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Router } from 'wouter';
import { memoryLocation } from 'wouter/memory-location';
import {
  lazyScreen,
  route,
  type LazyScreen,
  RouteScreen,
  useMatchedRoute,
  type RouteContext,
  type RouteTable,
} from './router';

afterEach(cleanup);

const context: RouteContext = { device: { commune: null, workingYear: 2026 } };

function Heading({ text }: { text: string }) {
  return <h1>{text}</h1>;
}
const loaded = (text: string) =>
  lazyScreen(
    async () => ({ text }),
    (m) =>
      function Screen() {
        return <Heading text={m.text} />;
      },
  );

/** A promise the test settles by hand: the network answering, or not. */
function deferred<T>() {
  let settle!: { resolve: (value: T) => void; reject: (error: Error) => void };
  const promise = new Promise<T>((resolve, reject) => (settle = { resolve, reject }));
  return { promise, ...settle };
}

function Screens({ routes }: { routes: RouteTable }) {
  const match = useMatchedRoute(routes, { name: 'home' }, context);
  const { name, ...params } = match;
  return (
    <RouteScreen
      screen={routes[name]!.screen as LazyScreen<object>}
      params={params}
      loading={<p role="status">Đang tải…</p>}
      failed={(retry) => (
        <button type="button" onClick={retry}>
          Thử lại
        </button>
      )}
    />
  );
}

/** Rendered inside an awaited act, so the effect that starts a load has run when it returns. */
async function renderAt(path: string, routes: RouteTable) {
  await act(async () => {
    render(
      <Router hook={memoryLocation({ path }).hook}>
        <Screens routes={routes} />
      </Router>,
    );
  });
}

describe('route guards', () => {
  const tableWith = (guard: (context: RouteContext) => boolean): RouteTable => ({
    home: route({ path: '/', params: {}, area: 'field', tab: 'home', screen: loaded('Trang chủ') }),
    review: route({ path: '/duyet', params: {}, area: 'office', tab: 'home', screen: loaded('Duyệt hồ sơ'), guard }),
  });

  it('open the screen when the guard allows it', async () => {
    await renderAt(
      '/duyet',
      tableWith(() => true),
    );
    expect(await screen.findByRole('heading', { name: 'Duyệt hồ sơ' })).toBeInTheDocument();
  });

  it('send a refused address to the home screen', async () => {
    const seen: RouteContext[] = [];
    await renderAt(
      '/duyet',
      tableWith((given) => {
        seen.push(given);
        return false;
      }),
    );
    expect(await screen.findByRole('heading', { name: 'Trang chủ' })).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Duyệt hồ sơ' })).not.toBeInTheDocument();
    expect(seen[0]).toBe(context);
  });
});

describe('lazily loaded screens', () => {
  it('show the loading state while their code arrives, then the screen', async () => {
    const code = deferred<{ text: string }>();
    const slow = lazyScreen(
      () => code.promise,
      (m) =>
        function Screen() {
          return <Heading text={m.text} />;
        },
    );
    await renderAt('/', { home: route({ path: '/', params: {}, area: 'field', tab: 'home', screen: slow }) });
    expect(screen.getByRole('status')).toHaveTextContent('Đang tải…');
    await act(async () => code.resolve({ text: 'Trang chủ' }));
    expect(screen.getByRole('heading', { name: 'Trang chủ' })).toBeInTheDocument();
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
  });

  it('render at once, with no loading state, when their code was preloaded', async () => {
    const home = loaded('Trang chủ');
    await home.preload();
    await renderAt('/', { home: route({ path: '/', params: {}, area: 'field', tab: 'home', screen: home }) });
    expect(screen.getByRole('heading', { name: 'Trang chủ' })).toBeInTheDocument();
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
  });

  it('offer a retry when their code cannot be fetched, and load on the retry', async () => {
    const attempts = [deferred<{ text: string }>(), deferred<{ text: string }>()];
    let attempt = 0;
    const office = lazyScreen(
      () => attempts[attempt++]!.promise,
      (m) =>
        function Screen() {
          return <Heading text={m.text} />;
        },
    );
    await renderAt('/', { home: route({ path: '/', params: {}, area: 'office', tab: 'home', screen: office }) });
    await act(async () => attempts[0]!.reject(new Error('offline')));
    const retry = await screen.findByRole('button', { name: 'Thử lại' });

    await act(async () => fireEvent.click(retry));
    expect(screen.getByRole('status')).toHaveTextContent('Đang tải…');
    await act(async () => attempts[1]!.resolve({ text: 'Báo cáo' }));
    expect(screen.getByRole('heading', { name: 'Báo cáo' })).toBeInTheDocument();
  });
});
