document.getElementById("widget").textContent = "widget ran: integrity verified";
