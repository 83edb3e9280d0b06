window.analyticsLoaded = true;
