import { mount } from 'svelte';
import App from './ui/App.svelte';
import { engine } from './ui/state/engine';
import './app.css';

mount(App, { target: document.getElementById('app')! });

// Test hook (?debug): lets browser tests crash a worker to check that it restarts.
if (new URLSearchParams(location.search).has('debug')) {
  Object.assign(globalThis, { __sightline: { crash: (w: 'image' | 'inference') => engine[w].crash() } });
}
