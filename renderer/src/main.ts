import { mount } from 'svelte';
import './app.css';
import App from './components/shell/App.svelte';
import { appApi } from './api/appApi.ts';
import { Workspace } from './state/workspace.svelte.ts';
import { createLabWorker, LabWorkerClient } from './simulation/labWorkerClient.ts';

const target = document.getElementById('app');
if (!target) throw new Error('#app missing in index.html');

let workspace: Workspace | null = null;
try {
  workspace = new Workspace(appApi(), new LabWorkerClient(createLabWorker()));
} catch (err) {
  target.textContent = (err as Error).message;
}
if (workspace) {
  mount(App, { target, props: { ws: workspace } });
  void workspace.start();
}
