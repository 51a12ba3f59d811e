import { isWismo } from './wismo';

describe('WISMO replies', () => {
  it.each([
    'Where is my parcel?',
    "where's my order",
    'It has not arrived yet',
    'Can you send me the tracking?',
    'Wo ist mein Paket?',
    'Meine Sendung ist noch nicht angekommen',
    'Où est mon colis ?',
    'ou est ma commande',
    "Je n'ai pas reçu mon colis",
    '¿Dónde está mi paquete?',
    "Dov'è il mio pacco?",
    'Waar is mijn pakket?',
    'Gdzie jest moja przesyłka?',
    'Onde está minha encomenda?',
    'Var är mitt paket?',
    'Hvor er min pakke?',
    'Kargom nerede?',
  ])('hears "where is my order" in %j', (text) => {
    expect(isWismo(text)).toBe(true);
  });

  it.each(['Thanks, all good', 'Bitte an den Nachbarn liefern', 'Merci beaucoup', 'STOP', 'Can I change the address?'])('hears nothing of the kind in %j', (text) => {
    expect(isWismo(text)).toBe(false);
  });
});
