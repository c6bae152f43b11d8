import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  server: {
    // In production CloudFront routes /api/* to the API on the same domain; locally a dev proxy does.
    proxy: { '/api': 'http://localhost:8000' },
  },
  test: {
    environment: 'jsdom',
    // Globals keep the tests runnable by Jest as well, which is how the portal checks the template.
    globals: true,
  },
});
