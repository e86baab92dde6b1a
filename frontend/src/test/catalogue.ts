import type { Milestone } from "@/lib/types";

/** GET /api/v1/milestones as the API answers it (backend/milestones/catalogue.py). */
export const CATALOGUE: Milestone[] = [
  {
    key: "value_baseline",
    title: "Value Baseline",
    position: 0,
    criteria: [
      {
        key: "value_proposition",
        text: "Clear value proposition documented",
      },
      {
        key: "target_market",
        text: "Target market identified",
      },
      {
        key: "pricing_model",
        text: "Initial pricing model defined",
      },
      {
        key: "mvp_features",
        text: "MVP features outlined",
      },
    ],
  },
  {
    key: "first_customer",
    title: "First Customer",
    position: 1,
    criteria: [
      {
        key: "signed_contract",
        text: "Signed contract/agreement",
      },
      {
        key: "payment_received",
        text: "Payment received",
      },
      {
        key: "product_delivered",
        text: "Product/service delivered",
      },
      {
        key: "customer_feedback",
        text: "Customer feedback documented",
      },
    ],
  },
  {
    key: "x_customers",
    title: "X Customers",
    position: 2,
    criteria: [
      {
        key: "five_paying_customers",
        text: "Minimum 5 paying customers",
      },
      {
        key: "recurring_revenue",
        text: "Recurring revenue established",
      },
      {
        key: "retention_80",
        text: "Customer retention > 80%",
      },
      {
        key: "avg_deal_size",
        text: "Average deal size tracked",
      },
    ],
  },
  {
    key: "ten_x_customers",
    title: "10X Customers",
    position: 3,
    criteria: [
      {
        key: "fifty_paying_customers",
        text: "Minimum 50 paying customers",
      },
      {
        key: "mrr_growth",
        text: "Monthly recurring revenue growth",
      },
      {
        key: "cac_defined",
        text: "Customer acquisition cost defined",
      },
      {
        key: "sales_process",
        text: "Sales process documented",
      },
    ],
  },
  {
    key: "one_m_arr",
    title: "$1M ARR",
    position: 4,
    criteria: [
      {
        key: "arr_1m",
        text: "$1M annual recurring revenue",
      },
      {
        key: "sustainable_growth",
        text: "Sustainable growth metrics",
      },
      {
        key: "unit_economics",
        text: "Positive unit economics",
      },
      {
        key: "expansion_plan",
        text: "Market expansion plan",
      },
    ],
  },
];
