import { mount } from 'svelte';
import App from './ui/App.svelte';
import './app.css';

mount(App, { target: document.getElementById('app')! });

// Test and benchmark hooks (src/debug/): only with ?debug, loaded as their own chunk.
if (new URLSearchParams(location.search).has('debug'))
  import('./debug/install').then(
    (m) => m.installDebugApi(),
    (e: unknown) => console.error('the ?debug API could not be loaded', e),
  );
