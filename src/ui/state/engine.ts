// The app's single engine and settings (module singletons shared by the views).
import { Engine } from '../../pipeline/engine';
import { SettingsState } from './settings.svelte';

export const settings = new SettingsState();
export const engine = new Engine({ backend: settings.backend, threads: settings.threads }, settings.faceThreads);
