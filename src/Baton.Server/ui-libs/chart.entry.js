// Chart.js with the chart types, scales and plugins the costs page draws, bundled into wwwroot/lib/chart.js.
import { Chart, BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip } from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);
export { Chart };
