import 'fake-indexeddb/auto';
import '@testing-library/jest-dom/vitest';
import { configure } from '@testing-library/react';

// jsdom has no object URLs of its own, and Node's reject jsdom's Blob (fake-indexeddb also
// returns stored Blobs as plain clones). Thumbnails only need a string for <img src>.
URL.createObjectURL = () => 'blob:jsdom';
URL.revokeObjectURL = () => undefined;

// findBy*/waitFor wait for a condition, not a time: a busy 2-core CI machine (lazy screens, the
// national commune list) may need more than Testing Library's default second to get there.
configure({ asyncUtilTimeout: 10_000 });
