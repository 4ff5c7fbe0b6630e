// The test vocabulary: one object per view or panel, each built from the page's test ids so specs never use them.
import type { Page } from '@playwright/test';
import { Analytics } from './analytics.ts';
import { App } from './app.ts';
import { Clusters } from './clusters.ts';
import { Diagnostics } from './diagnostics.ts';
import { Duplicates } from './duplicates.ts';
import { ForYou } from './for-you.ts';
import { ImportPanel } from './import-panel.ts';
import { Library } from './library.ts';
import { Offline } from './offline.ts';
import { People } from './people.ts';
import { Settings } from './settings.ts';
import { Team } from './team.ts';
import { Webcam } from './webcam.ts';

export { Analytics, App, Clusters, Diagnostics, Duplicates, ForYou, ImportPanel, Library, Offline, People, Settings, Team, Webcam };
export { download, queryString, type Query, type View } from './app.ts';
export { Chart } from './analytics.ts';
export { Detail } from './detail.ts';
export type { ExportedImage, ExportedResults } from './library.ts';

export interface Sightline {
  app: App;
  importPanel: ImportPanel;
  library: Library;
  analytics: Analytics;
  clusters: Clusters;
  diagnostics: Diagnostics;
  duplicates: Duplicates;
  forYou: ForYou;
  offlinePanel: Offline;
  people: People;
  settings: Settings;
  team: Team;
  webcam: Webcam;
}

/** Every page object for one page (a second context's page, or one on another server: pass its origin as `base`). */
export function sightline(page: Page, base = ''): Sightline {
  return {
    app: new App(page, base),
    importPanel: new ImportPanel(page),
    library: new Library(page),
    analytics: new Analytics(page),
    clusters: new Clusters(page),
    diagnostics: new Diagnostics(page),
    duplicates: new Duplicates(page),
    forYou: new ForYou(page),
    offlinePanel: new Offline(page),
    people: new People(page),
    settings: new Settings(page),
    team: new Team(page),
    webcam: new Webcam(page),
  };
}
