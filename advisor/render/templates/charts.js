// Draw every chart from its JSON. Why no mode bar: a report is read and printed, not edited.
(function () {
  var config = {displaylogo: false, displayModeBar: false, responsive: true};
  var plots = Array.prototype.slice.call(document.querySelectorAll('.plot'));
  plots.forEach(function (div) {
    var figure = JSON.parse(document.getElementById(div.id + '-figure').textContent);
    Plotly.newPlot(div, figure.data, figure.layout, config);
  });
  // A page opened on a narrow screen and then printed: fit the charts to the paper.
  window.addEventListener('beforeprint', function () {
    plots.forEach(function (div) { Plotly.Plots.resize(div); });
  });
})();
