import 'fake-indexeddb/auto';
import '@testing-library/jest-dom/vitest';

// jsdom has no object URLs of its own, and Node's reject jsdom's Blob (fake-indexeddb also
// returns stored Blobs as plain clones). Thumbnails only need a string for <img src>.
URL.createObjectURL = () => 'blob:jsdom';
URL.revokeObjectURL = () => undefined;
