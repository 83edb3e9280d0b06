document.documentElement.dataset.app = "ran";
