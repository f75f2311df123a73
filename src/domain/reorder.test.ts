import { describe, expect, test } from 'bun:test';
import { reorderSuggestion } from './reorder';

describe('reorderSuggestion', () => {
  test('above the reorder point is not low', () => {
    expect(reorderSuggestion({ onHand: 6, onOrder: 0, reorderPoint: 5, reorderQuantity: 10 })).toEqual({ low: false, shortfall: 0, suggestedQuantity: 0 });
  });
  test('exactly at the reorder point is low and suggests the reorder quantity', () => {
    expect(reorderSuggestion({ onHand: 5, onOrder: 0, reorderPoint: 5, reorderQuantity: 10 })).toEqual({ low: true, shortfall: 1, suggestedQuantity: 10 });
  });
  test('far below the point suggests more than the reorder quantity, enough to clear the point', () => {
    expect(reorderSuggestion({ onHand: 0, onOrder: 0, reorderPoint: 20, reorderQuantity: 5 })).toEqual({ low: true, shortfall: 21, suggestedQuantity: 21 });
  });
  test('quantity on order counts toward the projection', () => {
    expect(reorderSuggestion({ onHand: 1, onOrder: 3, reorderPoint: 5, reorderQuantity: null })).toEqual({ low: true, shortfall: 2, suggestedQuantity: 2 });
    expect(reorderSuggestion({ onHand: 1, onOrder: 5, reorderPoint: 5, reorderQuantity: 10 }).low).toBe(false);
  });
  test('no reorder quantity orders just enough to get above the point', () => {
    expect(reorderSuggestion({ onHand: 2, onOrder: 0, reorderPoint: 4, reorderQuantity: null }).suggestedQuantity).toBe(3);
  });
  test('negative on hand (oversold) raises the suggestion', () => {
    expect(reorderSuggestion({ onHand: -3, onOrder: 0, reorderPoint: 0, reorderQuantity: 2 })).toEqual({ low: true, shortfall: 4, suggestedQuantity: 4 });
  });
  test('a zero reorder point is low only at zero or below', () => {
    expect(reorderSuggestion({ onHand: 1, onOrder: 0, reorderPoint: 0, reorderQuantity: 6 }).low).toBe(false);
    expect(reorderSuggestion({ onHand: 0, onOrder: 0, reorderPoint: 0, reorderQuantity: 6 }).suggestedQuantity).toBe(6);
  });
});
