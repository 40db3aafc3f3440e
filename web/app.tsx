import { LocationProvider, Route, Router } from 'preact-iso';
import { AppHeader } from './components/AppHeader.tsx';
import { BinPage } from './pages/Bin/index.tsx';
import { ComparePage } from './pages/Compare/index.tsx';
import { DecodePage } from './pages/Decode/index.tsx';
import { HomePage } from './pages/Home/index.tsx';
import { NotFoundPage } from './pages/NotFound/index.tsx';
import { AppStateContext, type AppState } from './state/context.ts';

/** The whole UI: one URL per view, so every view can be reloaded and shared. */
export function App({ store }: { store: AppState }) {
  return (
    <AppStateContext.Provider value={store}>
      <LocationProvider>
        <div class="app">
          <AppHeader />
          <main class="app-main" id="main">
            <Router>
              <Route path="/" component={HomePage} />
              <Route path="/bins/:bin" component={BinPage} />
              <Route path="/bins/:bin/requests/:id" component={BinPage} />
              <Route path="/compare/:a/:b" component={ComparePage} />
              <Route path="/decode" component={DecodePage} />
              <Route default component={NotFoundPage} />
            </Router>
          </main>
        </div>
      </LocationProvider>
    </AppStateContext.Provider>
  );
}
