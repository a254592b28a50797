// Chart.js with the chart types, scales and plugins the costs and health pages draw, bundled into wwwroot/lib/chart.js.
import { Chart, BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip } from 'chart.js';

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip);
export { Chart };
